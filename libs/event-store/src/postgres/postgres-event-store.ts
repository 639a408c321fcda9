import { Pool } from 'pg';
import { AppendListeners, highestPosition } from '../append-listeners';
import { validateAppend } from '../append-validation';
import { EventStoreClosedError, EventStoreReadOnlyError } from '../event-store.errors';
import type {
  AllSubscription,
  AppendOptions,
  AppendResult,
  CommitReport,
  CountEventsOptions,
  EventData,
  EventFilter,
  EventStore,
  ReadAllOptions,
  ReadAllTextOptions,
  ReadStreamOptions,
  RecordedEvent,
  RecordedEventText,
  StreamAppend,
  SubscribeToAllOptions,
} from '../event-store.port';
import { commitValidated } from '../group-commit/commit-validated';
import { countLimit } from '../count-limit';
import { checkMaxChars, pageInBatches } from '../text-budget';
import { GroupCommitQueue, type GroupCommitStats } from '../group-commit/group-commit-queue';
import { PostgresAllSubscription, type LogPage } from './postgres-all-subscription';
import { toAppendRequest, type AppendRequest } from './postgres-append-request';
import { commitAppendBatch } from './postgres-commit-batch';
import { PostgresChangeNotifier } from './postgres-change-notifier';
import { EVENT_COLUMNS, EVENT_TEXT_COLUMNS, filterConditions, toRecordedEvent, toRecordedEventText, type EventRow, type EventTextRow } from './postgres-event-rows';
import { ensurePostgresSchema, notifyChannel, quoteSchema, readablePostgresSchema } from './postgres-schema';
import { toUnavailable } from './postgres-unavailable';

export interface PostgresEventStoreOptions {
  readonly connectionString: string;
  /** Schema holding the tables; created if missing (unless `readOnly`, which requires it). Default 'verdict'. */
  readonly schema?: string;
  /** Connections in the pool (appends use one at a time; reads share the rest). Default 10. */
  readonly poolSize?: number;
  /** How often a live subscription re-reads when no NOTIFY woke it. Default 500 ms. */
  readonly pollIntervalMs?: number;
  /** Most appends committed in one group-commit transaction. Default 500. */
  readonly maxBatch?: number;
  /** Only reads: appends fail with EventStoreReadOnlyError. Default false. */
  readonly readOnly?: boolean;
  /** Events per read when a subscription catches up. Default 500. */
  readonly subscriptionPageSize?: number;
  /** Default 10 000 ms: how long to wait for a connection before failing with EventStoreUnavailableError. */
  readonly connectionTimeoutMs?: number;
  /**
   * Test instrumentation: runs inside each group-commit transaction after the events are inserted and before COMMIT.
   * Lets tests hold a transaction open (commit-order proofs) or kill its connection (failure handling).
   */
  readonly beforeCommit?: (batch: { readonly backendPid: number; readonly size: number }) => Promise<void>;
}

export class PostgresEventStore implements EventStore {
  readonly kind = 'postgres';
  private readonly s: string;
  private readonly queue: GroupCommitQueue<AppendRequest, AppendResult>;
  private readonly notifier: PostgresChangeNotifier;
  private readonly subscriptions = new Set<PostgresAllSubscription>();
  private readonly appended = new AppendListeners<bigint>();
  private readonly commits = new AppendListeners<CommitReport>();
  private closing: Promise<void> | null = null;

  constructor(
    private readonly pool: Pool,
    private readonly options: PostgresEventStoreOptions & { readonly schema: string },
  ) {
    this.s = quoteSchema(options.schema);
    this.queue = new GroupCommitQueue<AppendRequest, AppendResult>({
      commit: (batch) => commitAppendBatch(this.pool, this.s, batch, this.options.beforeCommit),
      maxBatch: options.maxBatch ?? 500,
      eventCount: (request) => request.eventCount,
      onCommitted: (committed, report) => {
        this.appended.notify(highestPosition(committed));
        this.commits.notify(report);
      },
    });
    this.notifier = new PostgresChangeNotifier(
      options.connectionString,
      notifyChannel(options.schema),
      options.pollIntervalMs ?? 500,
    );
  }

  /** Group-commit counters: batches sent, committed and failed, appends committed, the largest batch. */
  stats(): GroupCommitStats {
    return this.queue.stats();
  }

  async appendToStream(streamId: string, events: readonly EventData[], options: AppendOptions): Promise<AppendResult> {
    this.assertOpen();
    if (this.options.readOnly) throw new EventStoreReadOnlyError();
    return this.queue.enqueue(toAppendRequest(validateAppend(streamId, events, options?.expectedRevision)));
  }

  async appendBatch(appends: readonly StreamAppend[]): Promise<ReadonlyArray<AppendResult | Error>> {
    this.assertOpen();
    if (this.options.readOnly) throw new EventStoreReadOnlyError();
    return commitValidated(appends, (a) => toAppendRequest(validateAppend(a.streamId, a.events, a.options?.expectedRevision)), (valid) =>
      this.queue.enqueueAll(valid),
    );
  }

  onAppended(listener: (position: bigint) => void): () => void {
    return this.appended.add(listener);
  }

  onCommitted(listener: (commit: CommitReport) => void): () => void {
    return this.commits.add(listener);
  }

  /**
   * Every committing transaction NOTIFYs the schema's channel, and that reaches the LISTEN connection of every
   * instance, in this process or another, so a hint is only worth something while LISTEN is down (subscriptions
   * then poll): the notifier wakes them only then, rather than adding a second read to every commit.
   */
  notifyAppended(): void {
    if (!this.closing) this.notifier.nudge();
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const rows = await this.query<EventRow>(
      'read stream',
      `SELECT ${EVENT_COLUMNS} FROM ${this.s}.events e
       WHERE e.stream_id = $1 AND e.revision >= $2 ORDER BY e.revision LIMIT $3`,
      [streamId, (options.fromRevision ?? 0n).toString(), options.maxCount ?? null],
    );
    return rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    return (await this.readPage(options.after ?? 0n, options.filter, options.maxCount ?? 1000)).events;
  }

  async readAllText(options: ReadAllTextOptions = {}): Promise<RecordedEventText[]> {
    this.assertOpen();
    const maxCount = options.maxCount ?? 1000;
    if (!Number.isInteger(maxCount) || maxCount < 1) throw new RangeError(`maxCount must be a positive integer, got ${maxCount}`);
    const maxChars = checkMaxChars(options.maxChars);
    const read = (after: bigint, limit: number): Promise<RecordedEventText[]> => this.readText(after, options.filter, limit);
    return maxChars === undefined ? read(options.after ?? 0n, maxCount) : pageInBatches(read, options.after ?? 0n, maxCount, maxChars);
  }

  private async readText(after: bigint, filter: EventFilter | undefined, limit: number): Promise<RecordedEventText[]> {
    const params: unknown[] = [after.toString(), limit];
    const where = ['e.position > $1', ...filterConditions(filter, params)].join(' AND ');
    const rows = await this.query<EventTextRow>(
      'read all',
      `SELECT ${EVENT_TEXT_COLUMNS} FROM ${this.s}.events e WHERE ${where} ORDER BY e.position LIMIT $2`,
      params,
    );
    return rows.map(toRecordedEventText);
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    this.assertOpen();
    const subscription = new PostgresAllSubscription(
      (after, filter, pageSize) => this.readPage(after, filter, pageSize),
      this.notifier,
      options,
      this.options.pollIntervalMs ?? 500,
      this.options.subscriptionPageSize ?? 500,
      (s) => this.subscriptions.delete(s),
    );
    this.subscriptions.add(subscription);
    // Listen from the start, so that wake-ups are in place by the time the subscription has caught up.
    this.notifier.ensureListening();
    return subscription;
  }

  async countEvents(options: CountEventsOptions): Promise<number> {
    this.assertOpen();
    const params: unknown[] = [options.after.toString(), countLimit(options.limit)];
    const where = ['e.position > $1', ...filterConditions(options.filter, params)].join(' AND ');
    const rows = await this.query<{ n: string }>(
      'count events',
      `SELECT COUNT(*) AS n FROM (SELECT 1 FROM ${this.s}.events e WHERE ${where} LIMIT $2) counted`,
      params,
    );
    return Number(rows[0]?.n ?? 0);
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    const rows = await this.query<{ head: string }>(
      'read head position',
      `SELECT coalesce(max(e.position), 0) AS head FROM ${this.s}.events e`,
    );
    return BigInt(rows[0].head);
  }

  async ping(): Promise<void> {
    this.assertOpen();
    await this.query('ping', 'SELECT 1');
  }

  /** Commits every queued append, ends subscriptions and the LISTEN connection, then ends the pool. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.queue.drain();
      this.appended.clear();
      this.commits.clear();
      await Promise.all([...this.subscriptions].map((s) => s.close()));
      await this.notifier.close();
      await this.pool.end();
    })();
    return this.closing;
  }

  private assertOpen(): void {
    if (this.closing) throw new EventStoreClosedError();
  }

  /**
   * One page of the log in a single statement, so the head it reports comes from the same snapshot as the events:
   * with positions visible in commit order, nothing at or below that head can still appear.
   */
  private async readPage(after: bigint, filter: ReadAllOptions['filter'], maxCount: number): Promise<LogPage> {
    if (!Number.isInteger(maxCount) || maxCount < 1) throw new RangeError(`maxCount must be a positive integer, got ${maxCount}`);
    const params: unknown[] = [after.toString(), maxCount];
    const where = ['e.position > $1', ...filterConditions(filter, params)].join(' AND ');
    const rows = await this.query<EventRow & { head: string }>(
      'read all',
      `WITH h AS (SELECT coalesce(max(position), 0) AS head FROM ${this.s}.events)
       SELECT h.head, p.* FROM h LEFT JOIN LATERAL (
         SELECT ${EVENT_COLUMNS} FROM ${this.s}.events e WHERE ${where} ORDER BY e.position LIMIT $2
       ) p ON true`,
      params,
    );
    const head = BigInt(rows[0].head);
    const events = rows.filter((r) => r.position !== null).map(toRecordedEvent);
    const full = events.length >= maxCount;
    const scannedTo = full ? events[events.length - 1].position : head;
    return { events, scannedTo: scannedTo > after ? scannedTo : after, full };
  }

  private async query<R extends object>(operation: string, sql: string, params: unknown[] = []): Promise<R[]> {
    try {
      return (await this.pool.query<R>(sql, params)).rows;
    } catch (e) {
      throw toUnavailable(e, operation);
    }
  }
}

/**
 * Connects, ensures the schema (safe when several processes start at once; a read-only instance only checks it) and
 * returns a ready store.
 */
export async function createPostgresEventStore(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
  const schema = options.schema ?? 'verdict';
  quoteSchema(schema);
  const pool = new Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
  });
  // Errors of idle pooled connections (server restart, terminated backend): the pool discards that connection and
  // the next operation opens a new one or fails with EventStoreUnavailableError. No caller is waiting on an idle one.
  pool.on('error', () => undefined);
  try {
    await (options.readOnly ? readablePostgresSchema(pool, schema) : ensurePostgresSchema(pool, schema));
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw e;
  }
  return new PostgresEventStore(pool, { ...options, schema });
}

import type { RestartPolicy, SupervisedStatus } from '@verdict/config';
import { AppendListeners, highestPosition } from '../append-listeners';
import { validateAppend, type ValidatedAppend } from '../append-validation';
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
import type { GroupCommitQueue, GroupCommitStats } from '../group-commit/group-commit-queue';
import { SqliteAllSubscription, type SubscriptionSource } from './sqlite-all-subscription';
import { eventColumns, filterToSql, toRecordedEvent, toRecordedEventText, type SqliteEventRow } from './sqlite-event-rows';
import { sqliteGroupCommit } from './sqlite-group-commit';
import { SupervisedSqliteWriter } from './sqlite-supervised-writer';
import { hasCanonicalColumn } from './sqlite-schema';
import { openReadConnection, openReaderOnly, SqliteReadConnection } from './sqlite-read-connection';

export interface SqliteEventStoreOptions {
  /** File path of the database (created if missing). Several processes may open it; one of them should write. */
  readonly path: string;
  /** How often an idle subscription looks for commits made by other processes. Default 50 ms. */
  readonly pollIntervalMs?: number;
  /** Most appends committed in one transaction. Default 500. */
  readonly maxBatch?: number;
  /** How long to wait for another connection's lock before failing. Default 5000 ms. */
  readonly busyTimeoutMs?: number;
  /** How the writer thread is restarted when it dies. Default DEFAULT_RESTART_POLICY (libs/config). */
  readonly writerRestart?: Partial<RestartPolicy>;
  /** Only reads: no writer thread, a connection in SQLite's read-only mode; appends fail with EventStoreReadOnlyError. Default false. */
  readonly readOnly?: boolean;
}

const NO_COMMITS: GroupCommitStats = { batches: 0, commits: 0, failedCommits: 0, committedAppends: 0, committedEvents: 0, rejectedAppends: 0, largestBatch: 0, queued: 0 };

export interface SqliteEventStoreStats extends GroupCommitStats {
  readonly openSubscriptions: number;
}

const DEFAULT_READ_ALL_MAX = 1000;

/**
 * Event store on one SQLite file: WAL + synchronous=FULL so an acknowledged append survives a crash. Appends are
 * group-committed (sqlite-group-commit.ts) by a writer worker thread (sqlite-writer.worker.ts) that owns the write
 * connection; reads use this thread's own connection, which WAL never blocks behind the writer. The global position
 * is the table's AUTOINCREMENT key, which SQLite's single writer hands out in commit order.
 */
export class SqliteEventStore implements EventStore, SubscriptionSource {
  readonly kind = 'sqlite';
  readonly pollIntervalMs: number;
  private closed = false;
  private closing: Promise<void> | undefined;
  private readonly subscriptions = new Set<SqliteAllSubscription>();
  /** Undefined on a read-only instance. */
  private readonly committer: GroupCommitQueue<ValidatedAppend, AppendResult> | undefined;
  /** Wakes this store's idle subscriptions. */
  private readonly changes = new AppendListeners();
  private readonly appended = new AppendListeners<bigint>();
  private readonly commits = new AppendListeners<CommitReport>();
  /** The columns a read selects (eventColumns: whether the file has the `canonical` column). */
  private readonly columns: string;

  /**
   * Opens (or creates) the file on this thread's read connection, then starts the writer thread that owns the write
   * connection, so a COMMIT's fsync never blocks this event loop.
   */
  static async open(options: SqliteEventStoreOptions): Promise<SqliteEventStore> {
    const maxBatch = options.maxBatch ?? 500;
    if (!(maxBatch >= 1)) throw new RangeError('maxBatch must be at least 1');
    const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    if (options.readOnly) {
      const db = openReaderOnly(options.path, busyTimeoutMs);
      return new SqliteEventStore(new SqliteReadConnection(db), undefined, hasCanonicalColumn(db), maxBatch, options.pollIntervalMs ?? 50);
    }
    const db = openReadConnection(options.path, busyTimeoutMs);
    let writer: SupervisedSqliteWriter;
    try {
      writer = await SupervisedSqliteWriter.start({ path: options.path, busyTimeoutMs }, undefined, options.writerRestart);
    } catch (e) {
      db.close();
      throw e;
    }
    return new SqliteEventStore(new SqliteReadConnection(db), writer, true, maxBatch, options.pollIntervalMs ?? 50);
  }

  private constructor(
    private readonly reads: SqliteReadConnection,
    private readonly writer: SupervisedSqliteWriter | undefined,
    canonicalColumn: boolean,
    maxBatch: number,
    pollIntervalMs: number,
  ) {
    this.pollIntervalMs = pollIntervalMs;
    this.columns = eventColumns(canonicalColumn);
    // Runs only after the writer thread reported the COMMIT, so a woken subscription can read the new events.
    this.committer =
      writer &&
      sqliteGroupCommit(writer, maxBatch, (committed, report) => {
        this.changes.notify();
        this.appended.notify(highestPosition(committed));
        this.commits.notify(report);
      });
  }

  async appendToStream(streamId: string, events: readonly EventData[], options: AppendOptions): Promise<AppendResult> {
    if (this.closed) throw new EventStoreClosedError();
    if (!this.committer) throw new EventStoreReadOnlyError();
    return this.committer.enqueue(validateAppend(streamId, events, options?.expectedRevision, 'canonical'));
  }

  async appendBatch(appends: readonly StreamAppend[]): Promise<ReadonlyArray<AppendResult | Error>> {
    if (this.closed) throw new EventStoreClosedError();
    const committer = this.committer;
    if (!committer) throw new EventStoreReadOnlyError();
    return commitValidated(appends, (a) => validateAppend(a.streamId, a.events, a.options?.expectedRevision, 'canonical'), (valid) =>
      committer.enqueueAll(valid),
    );
  }

  onAppended(listener: (position: bigint) => void): () => void {
    return this.appended.add(listener);
  }

  onCommitted(listener: (commit: CommitReport) => void): () => void {
    return this.commits.add(listener);
  }

  /** Another connection to the file committed: wake the idle subscriptions now instead of at their next poll. */
  notifyAppended(): void {
    if (!this.closed) this.changes.notify();
  }

  onChange(listener: () => void): () => void {
    return this.changes.add(listener);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const rows = this.query<SqliteEventRow>(
      `SELECT ${this.columns} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`,
      [streamId, options.fromRevision ?? 0n, limitOf(options.maxCount, -1)],
    );
    return rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.readAllRows(options).map(toRecordedEvent);
  }

  async readAllText(options: ReadAllTextOptions = {}): Promise<RecordedEventText[]> {
    const maxChars = checkMaxChars(options.maxChars);
    const read = (after: bigint, limit: number): RecordedEventText[] =>
      this.readAllRows({ after, maxCount: limit, filter: options.filter }).map(toRecordedEventText);
    const after = options.after ?? -1n;
    const maxCount = limitOf(options.maxCount, DEFAULT_READ_ALL_MAX);
    return maxChars === undefined ? read(after, maxCount) : pageInBatches(async (a, limit) => read(a, limit), after, maxCount, maxChars);
  }

  private readAllRows(options: ReadAllOptions): SqliteEventRow[] {
    const filter = filterToSql(options.filter);
    return this.query<SqliteEventRow>(
      `SELECT ${this.columns} FROM events WHERE position > ?${filter.sql} ORDER BY position LIMIT ?`,
      [options.after ?? -1n, ...filter.params, limitOf(options.maxCount, DEFAULT_READ_ALL_MAX)],
    );
  }

  readPage(after: bigint, filter: EventFilter | undefined, maxCount: number): { events: RecordedEvent[]; scannedTo: bigint } {
    const head = this.head();
    if (head <= after) return { events: [], scannedTo: after };
    const where = filterToSql(filter);
    const rows = this.query<SqliteEventRow>(
      `SELECT ${this.columns} FROM events WHERE position > ? AND position <= ?${where.sql} ORDER BY position LIMIT ?`,
      [after, head, ...where.params, maxCount],
    );
    const events = rows.map(toRecordedEvent);
    return { events, scannedTo: events.length === maxCount ? events[events.length - 1].position : head };
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    if (this.closed) throw new EventStoreClosedError();
    const subscription = new SqliteAllSubscription(this, options, (s) => this.subscriptions.delete(s));
    this.subscriptions.add(subscription);
    return subscription;
  }

  async countEvents(options: CountEventsOptions): Promise<number> {
    const limit = countLimit(options.limit);
    const filter = filterToSql(options.filter);
    const [row] = this.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM (SELECT 1 FROM events WHERE position > ?${filter.sql} LIMIT ?)`,
      [options.after, ...filter.params, limit],
    );
    return Number(row?.n ?? 0);
  }

  async headPosition(): Promise<bigint> {
    return this.head();
  }

  /** Ready only while the writer thread is up (if this instance writes): down or restarting, appends fail. */
  async ping(): Promise<void> {
    const unavailable = this.writer?.unavailable;
    if (unavailable !== undefined) throw unavailable;
    this.query('SELECT 1', []);
  }

  supervised(): readonly SupervisedStatus[] {
    return this.writer ? [this.writer.status()] : [];
  }

  /**
   * Fault-injection seam for tests: ends the writer thread as a crash would. Batches in flight fail with
   * AppendOutcomeUnknownError; the thread is then restarted under its policy. Resolves once the thread has exited.
   */
  terminateWriterThread(): Promise<void> {
    if (!this.writer) return Promise.reject(new EventStoreReadOnlyError());
    return this.writer.terminateThread();
  }

  /** Group-commit counters (appends per commit show how well appends are grouped), and the open subscriptions. */
  stats(): SqliteEventStoreStats {
    return { ...(this.committer?.stats() ?? NO_COMMITS), openSubscriptions: this.subscriptions.size };
  }

  /** Commits appends already accepted, stops the writer thread, ends subscriptions, then closes the file. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.closed = true;
    try {
      await this.committer?.drain();
      await this.writer?.close();
    } finally {
      this.appended.clear();
      this.commits.clear();
      await Promise.all([...this.subscriptions].map((s) => s.close()));
      this.reads.close();
    }
  }

  private head(): bigint {
    const rows = this.query<{ head: bigint | null }>('SELECT MAX(position) AS head FROM events', []);
    return rows[0]?.head ?? 0n;
  }

  private query<Row>(sql: string, params: unknown[]): Row[] {
    if (this.closed) throw new EventStoreClosedError();
    return this.reads.all<Row>(sql, params);
  }
}

export const createSqliteEventStore = (options: SqliteEventStoreOptions): Promise<SqliteEventStore> =>
  SqliteEventStore.open(options);

function limitOf(maxCount: number | undefined, fallback: number): number {
  if (maxCount === undefined) return fallback;
  return Math.max(0, Math.floor(maxCount));
}

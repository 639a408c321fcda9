import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  StreamNotFoundError,
  type AllStreamResolvedEvent,
  type ResolvedEvent,
  type StreamingRead,
} from '@eventstore/db-client';
import { validateAppend } from '../append-validation';
import { AppendOutcomeUnknownError, EventStoreClosedError, EventStoreReadOnlyError, InvalidAppendError, WrongExpectedRevisionError } from '../event-store.errors';
import type {
  AllSubscription,
  AppendOptions,
  AppendResult,
  CommitReport,
  CountEventsOptions,
  EventData,
  EventStore,
  ReadAllOptions,
  ReadAllTextOptions,
  ReadStreamOptions,
  RecordedEvent,
  RecordedEventText,
  StreamAppend,
  SubscribeToAllOptions,
} from '../event-store.port';
import { AppendListeners } from '../append-listeners';
import { countLimit } from '../count-limit';
import { checkMaxChars, TEXT_BATCH, TextBudget } from '../text-budget';
import { EsdbAllSubscription } from './esdb-all-subscription';
import { needsReadBack, storedByThisAppend } from './esdb-idempotency';
import { isDeadlineExceeded, toStoreError, withDeadline } from './esdb-errors';
import { toEsdbEvents, toRecordedEvent } from './esdb-event-mapping';
import { collect, newestVisible, readAllWhile } from './esdb-reads';

export interface EsdbEventStoreOptions {
  /** e.g. `esdb://127.0.0.1:2113?tls=false`; client options (keepAlive..., defaultDeadline) may be set in it. */
  readonly connectionString: string;
  /** Upper bound for an append, and for the silence during a read or ping, in ms (default 10 000). */
  readonly operationTimeoutMs?: number;
  /** Only reads: appends fail with EventStoreReadOnlyError. Default false. */
  readonly readOnly?: boolean;
}

const DEFAULT_OPERATION_TIMEOUT_MS = 10_000;
// $all is read in pages; a filtered read keeps paging until it has enough matches or reaches the end.
const MIN_PAGE_SIZE = 256;
/** Largest page a count reads at once (the events are read whole: there is nothing smaller to ask for). */
const COUNT_PAGE_MAX = 4096;

export class EsdbEventStore implements EventStore {
  readonly kind = 'esdb';
  private readonly client: EventStoreDBClient;
  private readonly timeoutMs: number;
  private readonly subscriptions = new Set<EsdbAllSubscription>();
  private readonly appended = new AppendListeners<bigint>();
  private readonly commits = new AppendListeners<CommitReport>();
  private closed = false;
  private readonly readOnly: boolean;

  constructor(options: EsdbEventStoreOptions) {
    this.client = EventStoreDBClient.connectionString(options.connectionString);
    this.timeoutMs = options.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS;
    this.readOnly = options.readOnly ?? false;
  }

  async appendToStream(streamId: string, events: readonly EventData[], options: AppendOptions): Promise<AppendResult> {
    this.assertOpen();
    if (this.readOnly) throw new EventStoreReadOnlyError();
    const expected = options?.expectedRevision;
    const esdbEvents = toEsdbEvents(validateAppend(streamId, events, expected), events);
    let appended: AppendResult;
    let timedOut = false;
    const started = performance.now();
    try {
      // `deadline` reaches the server (BatchAppend request deadline, or the gRPC deadline of a unary Append).
      const append = this.client.appendToStream(streamId, esdbEvents, { expectedRevision: expected, deadline: this.timeoutMs });
      const result = await withDeadline(append, this.timeoutMs, `append to "${streamId}"`, () => (timedOut = true));
      if (!result.position) throw new Error(`the server reported no position for the append to "${streamId}"`);
      appended = { nextExpectedRevision: result.nextExpectedRevision, position: result.position.commit };
    } catch (error) {
      // The append went out and no answer came in time: the server may have written it.
      if (timedOut || isDeadlineExceeded(error)) {
        throw new AppendOutcomeUnknownError(`EventStoreDB append to "${streamId}" got no answer in time; it may or may not have been recorded`, { cause: error });
      }
      throw toStoreError(error, `append to "${streamId}"`, { streamId, expected });
    }
    // An idempotent write may hide that the stream was elsewhere: verify (see esdb-idempotency.ts), unless the ids
    // are fresh, when only this append's own retry can have stored them.
    if (needsReadBack(expected) && options.freshEventIds !== true) {
      const first = appended.nextExpectedRevision - BigInt(events.length) + 1n;
      const stored = await this.readStream(streamId, { fromRevision: first, maxCount: events.length });
      if (!storedByThisAppend(events, stored)) {
        throw new WrongExpectedRevisionError(streamId, expected, await this.lastRevision(streamId));
      }
    }
    this.appended.notify(appended.position);
    // No group commit here: each append is its own durable write on the server.
    this.commits.notify({ appends: 1, events: events.length, seconds: (performance.now() - started) / 1000 });
    return appended;
  }

  /**
   * EventStoreDB has no transaction across streams: the appends go out together (the client pipelines them over its
   * one connection) and each is durable on its own. Store failures are thrown only after every append has settled.
   */
  async appendBatch(appends: readonly StreamAppend[]): Promise<ReadonlyArray<AppendResult | Error>> {
    this.assertOpen();
    if (this.readOnly) throw new EventStoreReadOnlyError();
    const settled = await Promise.allSettled(appends.map((a) => this.appendToStream(a.streamId, a.events, a.options)));
    const failed = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected' && !isRefusal(s.reason));
    // One append of unknown outcome makes the batch's outcome unknown, even if another was plainly refused.
    const failure = failed.find((s) => s.reason instanceof AppendOutcomeUnknownError) ?? failed[0];
    if (failure) throw failure.reason;
    return settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error)));
  }

  onAppended(listener: (position: bigint) => void): () => void {
    return this.appended.add(listener);
  }

  onCommitted(listener: (commit: CommitReport) => void): () => void {
    return this.commits.add(listener);
  }

  /** Nothing to do: the server pushes every commit to every subscription over its gRPC stream; nothing here polls. */
  notifyAppended(): void {}

  private async lastRevision(streamId: string): Promise<bigint | 'no_stream'> {
    try {
      const [last] = await this.collect(
        this.client.readStream(streamId, { fromRevision: END, direction: BACKWARDS, maxCount: 1 }),
        `read of the end of "${streamId}"`,
      );
      return last?.event?.revision ?? 'no_stream';
    } catch (error) {
      if (error instanceof StreamNotFoundError) return 'no_stream';
      throw toStoreError(error, `read of the end of "${streamId}"`);
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    if (options.maxCount !== undefined && options.maxCount <= 0) return [];
    try {
      const read = this.client.readStream(streamId, {
        fromRevision: options.fromRevision ?? START,
        maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
        direction: FORWARDS,
      });
      return (await this.collect(read, `read of "${streamId}"`)).map(toRecordedEvent);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw toStoreError(error, `read of "${streamId}"`);
    }
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const maxCount = options.maxCount ?? 1000;
    const page: RecordedEvent[] = [];
    if (maxCount <= 0) return page;
    await this.readAllWhile(options, Math.max(maxCount + 1, MIN_PAGE_SIZE), 'read of $all', (resolved) => page.push(toRecordedEvent(resolved)) < maxCount);
    return page;
  }

  /**
   * The client hands over JSON events parsed, so their text is its serialisation of them (keys in stored order). With
   * maxChars, $all is read in batches of about as many events as still fit, sized by the largest seen (the first
   * TEXT_BATCH), so that few events past the cut are ever held.
   */
  async readAllText(options: ReadAllTextOptions = {}): Promise<RecordedEventText[]> {
    this.assertOpen();
    const maxCount = options.maxCount ?? 1000;
    const maxChars = checkMaxChars(options.maxChars);
    const budget = new TextBudget(maxChars);
    const page: RecordedEventText[] = [];
    if (maxCount <= 0) return page;
    const full = Math.max(maxCount + 1, MIN_PAGE_SIZE);
    // +1: a batch after the first starts with the event the one before ended on.
    const pageSize = (): number => Math.min(full, Math.max(TEXT_BATCH, budget.fitting(TEXT_BATCH) + 1));
    await this.readAllWhile(options, pageSize, 'read of $all', (resolved) => {
      const { data, metadata, ...rest } = toRecordedEvent(resolved);
      const text: RecordedEventText = { ...rest, dataJson: JSON.stringify(data), metadataJson: JSON.stringify(metadata), canonical: false };
      return budget.admits(text) && page.push(text) < maxCount;
    });
    return page;
  }

  /** EventStoreDB has no count: a forward read of $all that counts what readAll would return, up to the limit. */
  async countEvents(options: CountEventsOptions): Promise<number> {
    this.assertOpen();
    const limit = countLimit(options.limit);
    let count = 0;
    await this.readAllWhile(options, Math.min(Math.max(limit + 1, MIN_PAGE_SIZE), COUNT_PAGE_MAX), 'count of $all', () => ++count < limit);
    return count;
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    this.assertOpen();
    const subscription = new EsdbAllSubscription(this.client, options, (s) => this.subscriptions.delete(s));
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** The newest event our readers can see (0n for a log without ours). */
  async headPosition(): Promise<bigint> {
    this.assertOpen();
    const newest = await newestVisible(this.client, this.timeoutMs);
    return newest ? toRecordedEvent(newest).position : 0n;
  }

  async ping(): Promise<void> {
    this.assertOpen();
    try {
      await this.collect(this.client.readAll({ fromPosition: END, maxCount: 1, direction: BACKWARDS }), 'ping');
    } catch (error) {
      throw toStoreError(error, 'ping');
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.appended.clear();
    this.commits.clear();
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.client.dispose();
    // dispose() cancels calls but leaves the channel (and its keepalive) open; closing it releases the socket.
    const channel = await (this.client as unknown as { getChannel(): Promise<{ close(): void }> }).getChannel();
    channel.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreClosedError();
  }

  private collect<E extends ResolvedEvent | AllStreamResolvedEvent>(read: StreamingRead<E>, what: string): Promise<E[]> {
    return collect(read, what, this.timeoutMs);
  }

  private readAllWhile(options: ReadAllOptions, batchSize: number | (() => number), what: string, take: (event: AllStreamResolvedEvent) => boolean): Promise<void> {
    return readAllWhile(this.client, this.timeoutMs, options, batchSize, what, take);
  }
}

export function createEsdbEventStore(options: EsdbEventStoreOptions): EsdbEventStore {
  return new EsdbEventStore(options);
}

/** An append refused on its own merits, as opposed to a store that failed. */
const isRefusal = (error: unknown): boolean => error instanceof WrongExpectedRevisionError || error instanceof InvalidAppendError;

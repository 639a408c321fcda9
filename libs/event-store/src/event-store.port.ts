/**
 * The event store port. Every adapter (SQLite, PostgreSQL, EventStoreDB) implements exactly this, and the contract
 * suite in `testing/event-store.contract.ts` is what "implements" means.
 *
 * Positions and revisions are bigints: EventStoreDB positions are 64-bit log offsets.
 */

import type { SupervisedStatus } from '@verdict/config';

/** What the caller expects of the stream before its append. */
export type ExpectedRevision =
  | 'any' // no concurrency check
  | 'no_stream' // the stream must not exist (idempotent creation)
  | 'stream_exists' // the stream must exist
  | bigint; // the stream's last event must have exactly this revision (0-based)

export const ANY = 'any' as const;
export const NO_STREAM = 'no_stream' as const;
export const STREAM_EXISTS = 'stream_exists' as const;

/** An event to append. `id` is a UUID chosen by the caller (deterministic ids make retries detectable). */
export interface EventData {
  readonly id: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata?: Record<string, unknown>;
}

/** An event as stored. */
export interface RecordedEvent {
  readonly id: string;
  readonly type: string;
  readonly streamId: string;
  /** 0-based place in its stream. */
  readonly revision: bigint;
  /** Place in the global log. Strictly increasing in the order readers of the global log see events. */
  readonly position: bigint;
  readonly data: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
  /** When the store recorded the event. */
  readonly recordedAt: Date;
}

/**
 * An event as stored, with its data and metadata as JSON text, unparsed: for readers that hash or copy events in bulk
 * (audit verification, export) and would otherwise parse and re-serialise every one. The text parses to exactly
 * `readAll`'s data and metadata. On SQLite it is the canonical JSON the append wrote (see validateAppend); PostgreSQL
 * gives jsonb's own text form and EventStoreDB the client's serialisation of what it parsed, so only SQLite's text is
 * byte for byte the canonical form an event hash covers.
 */
export interface RecordedEventText extends Omit<RecordedEvent, 'data' | 'metadata'> {
  readonly dataJson: string;
  readonly metadataJson: string;
  /**
   * The store wrote this text itself as canonical JSON (canonicalJson of the values), so a hash over the text is the
   * event's hash with no parse (the audit sealer relies on it). False where the store re-encodes (jsonb, EventStoreDB)
   * or the row predates canonical storage.
   */
  readonly canonical: boolean;
}

export interface AppendResult {
  /** Revision of the last event appended: pass it as `expectedRevision` to append again. */
  readonly nextExpectedRevision: bigint;
  /** Global position of the last event appended. */
  readonly position: bigint;
}

/** One commit made through an instance, for operators: what it made durable and how long the store took. */
export interface CommitReport {
  /** Appends it made durable (those it refused are not counted). */
  readonly appends: number;
  /** Events in those appends. */
  readonly events: number;
  /**
   * Seconds from handing the commit to the store until the store answered it durable: on SQLite the writer thread's
   * transaction and fsync, the messages to and from it and each thread's wait for a CPU; on PostgreSQL the wait for a
   * pooled connection and the transaction's round trips; on EventStoreDB the append call and any read-back. The wait
   * for an earlier commit to finish is not in it.
   */
  readonly seconds: number;
}

export interface AppendOptions {
  readonly expectedRevision: ExpectedRevision;
  /**
   * The caller promises its event ids are new: made fresh for this append, and sent before only by this very call (a
   * transport retry). Then a store that acknowledges re-sent ids as a success (EventStoreDB's idempotent writes) can
   * only be acknowledging this append, and needs no read-back to tell it from another: one round trip.
   */
  readonly freshEventIds?: boolean;
}

export interface CountEventsOptions {
  /** Exclusive, as in readAll. */
  readonly after: bigint;
  readonly filter?: EventFilter;
  /** Most events counted (a positive integer): bounds the cost when a reader is far behind. */
  readonly limit: number;
}

/** One append of an appendBatch. */
export interface StreamAppend {
  readonly streamId: string;
  readonly events: readonly EventData[];
  readonly options: AppendOptions;
}

export interface ReadStreamOptions {
  /** First revision to read (inclusive). Default 0. */
  readonly fromRevision?: bigint;
  /** Default: all. */
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Read events with position strictly greater than this. Default: from the start. */
  readonly after?: bigint;
  /** Default 1000. */
  readonly maxCount?: number;
  readonly filter?: EventFilter;
}

export interface ReadAllTextOptions extends ReadAllOptions {
  /**
   * The most characters of data and metadata text (as JavaScript counts a string's length) one page holds: the page
   * ends before the event that would take it past this, and always holds its first event, however large. A page is
   * then bounded in memory by its text, not only by its count of events. A page this ended holds fewer than
   * `maxCount` events, so with it a short page does not mean the end of the log: read on from its last position until
   * a page is empty. Default: no limit.
   */
  readonly maxChars?: number;
}

/** Selects events from the global log; both parts are prefix lists, an event matches if any prefix matches. */
export interface EventFilter {
  readonly streamPrefixes?: readonly string[];
  readonly eventTypePrefixes?: readonly string[];
}

export interface SubscribeToAllOptions {
  /** Deliver events with position strictly greater than this (a checkpoint). Default: from the start. */
  readonly after?: bigint;
  readonly filter?: EventFilter;
}

/**
 * A catch-up subscription: first every stored event after the checkpoint, then new ones as they are committed,
 * in global-log order, never skipping one. Iterate it with `for await`; `close()` ends the iteration.
 * A store error ends the iteration by throwing it (never swallowed).
 */
export interface AllSubscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

export interface EventStore {
  /** Name of the adapter, for health and metrics: 'sqlite' | 'postgres' | 'esdb'. */
  readonly kind: string;

  /**
   * Appends atomically: all events or none. Resolves only after the events are durable (fsync'd / committed).
   * @throws WrongExpectedRevisionError when the stream's state does not match `expectedRevision`.
   * @throws EventStoreUnavailableError when the store can't be reached or fails.
   */
  appendToStream(streamId: string, events: readonly EventData[], options: AppendOptions): Promise<AppendResult>;

  /**
   * Several appends, each to its own stream and judged on its own expected revision, answered together: one outcome
   * per append, in order — its result, or the error it alone was refused with (WrongExpectedRevisionError,
   * InvalidAppendError). SQLite and PostgreSQL commit them in one transaction (one fsync); EventStoreDB, which has no
   * cross-stream transaction, sends them concurrently. Resolves only after every committed append is durable.
   * @throws EventStoreUnavailableError when the store fails as a whole (then none of them may be taken as recorded).
   */
  appendBatch(appends: readonly StreamAppend[]): Promise<ReadonlyArray<AppendResult | Error>>;

  /** Events of one stream in revision order; `[]` if the stream does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;

  /** One page of the global log, in position order. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;

  /** The same page as `readAll`, with data and metadata left as JSON text, and optionally a bound on that text. */
  readAllText(options?: ReadAllTextOptions): Promise<RecordedEventText[]>;

  subscribeToAll(options?: SubscribeToAllOptions): AllSubscription;

  /**
   * Calls `listener` after appends made through THIS instance have committed, by the time their promises resolve,
   * with the global position of the last event the commit wrote (the highest of its appends' `position`): at most
   * once per group commit, never for an append that failed. Used to tell readers elsewhere (another thread or
   * process, which then call their own instance's `notifyAppended()`) that the log grew, or how far a reader must
   * have read to see this instance's acknowledged appends. A listener that throws is reported as a process warning;
   * the append still succeeds. Returns the unsubscribe function.
   */
  onAppended(listener: (position: bigint) => void): () => void;

  /**
   * Calls `listener` after each commit through THIS instance that made at least one append durable, when onAppended
   * is called, with the commit's size and duration: how well appends are grouped, and the store's share of an append's
   * latency. On EventStoreDB each append is a commit, and an idempotent retry the server took as already written counts
   * as one. A listener that throws is reported as a process warning. Returns the unsubscribe function.
   */
  onCommitted(listener: (commit: CommitReport) => void): () => void;

  /**
   * Tells this instance that another thread or process has committed appends, so that its idle subscriptions read
   * now instead of at their next poll. Only a hint (subscriptions never depend on it), cheap, and a no-op where the
   * store already pushes every commit to every subscriber.
   */
  notifyAppended(): void;

  /**
   * How many events of the global log lie after `after` (those matching `filter`), counting no further than `limit`:
   * what a reader standing at `after` still has to read. A result equal to `limit` means "at least that many". For
   * lag in events: positions are not counts (EventStoreDB's are byte offsets), so a difference of positions is not one.
   */
  countEvents(options: CountEventsOptions): Promise<number>;

  /** Position of the last event in the global log visible to readers (0n when empty). For lag reporting. */
  headPosition(): Promise<bigint>;

  /** Cheap round-trip used by readiness checks. @throws EventStoreUnavailableError */
  ping(): Promise<void>;

  /**
   * The store's own supervised parts (threads it restarts when they die: SQLite's writer), for liveness and metrics.
   * Absent when it runs none.
   */
  supervised?(): readonly SupervisedStatus[];

  close(): Promise<void>;
}

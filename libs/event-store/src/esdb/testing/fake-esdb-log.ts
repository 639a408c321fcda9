/**
 * The storage half of the fake EventStoreDB: one in-memory transaction file plus the stream index, with the write
 * rules of EventStoreDB's IndexWriter.CheckCommit (expected versions and idempotent duplicate detection).
 *
 * Positions imitate the real log: every event is one self-committed prepare record (what every gRPC append writes
 * since v20), so its commit and prepare positions are both the byte offset where the record starts, and the next
 * record starts where this one ends. Nothing here is durable: "fsync" is not a concept for the fake.
 */

/** Expected-version sentinels exactly as EventStoreDB encodes them internally. */
export const EXPECTED_ANY = -2n;
export const EXPECTED_NO_STREAM = -1n;
export const EXPECTED_STREAM_EXISTS = -4n;

export interface ProposedEvent {
  readonly eventId: string;
  readonly eventType: string;
  readonly isJson: boolean;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
}

export interface StoredEvent extends ProposedEvent {
  readonly streamName: string;
  readonly revision: bigint;
  /** Commit position == prepare position (self-committed record). */
  readonly logPosition: bigint;
  /** .NET ticks (100 ns) since the Unix epoch, as the server sends `created`. */
  readonly createdTicks: bigint;
}

export type AppendOutcome =
  | { readonly kind: 'success'; readonly lastRevision: bigint; readonly position: bigint | undefined }
  | { readonly kind: 'wrong_expected_version'; readonly currentVersion: bigint };

// Size of an epoch record, the first record of every real transaction file; user data never sits at position 0.
const EPOCH_RECORD_SIZE = 128n;
// Fixed part of a prepare record (length prefix/suffix, flags, positions, ids, timestamp, expected version...).
const PREPARE_RECORD_OVERHEAD = 89;

export class FakeEsdbLog {
  private readonly all: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  /** The server's committed-events cache used for idempotency with expected version `any` (unbounded here). */
  private readonly byEventId = new Map<string, StoredEvent>();
  private readonly listeners = new Set<() => void>();
  private nextPosition = EPOCH_RECORD_SIZE;

  get length(): number {
    return this.all.length;
  }

  at(index: number): StoredEvent {
    return this.all[index];
  }

  stream(streamName: string): readonly StoredEvent[] | undefined {
    return this.streams.get(streamName);
  }

  /** Index of the first event whose position is >= `position` (binary search; positions are sorted). */
  indexAtOrAfter(position: bigint): number {
    let lo = 0;
    let hi = this.all.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.all[mid].logPosition < position) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Called (synchronously, after the whole append is visible) whenever events are committed. */
  onAppended(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  append(streamName: string, expectedVersion: bigint, events: readonly ProposedEvent[]): AppendOutcome {
    const stream = this.streams.get(streamName);
    const current = stream ? BigInt(stream.length - 1) : EXPECTED_NO_STREAM;
    let expected = expectedVersion;

    if (expected === EXPECTED_STREAM_EXISTS) {
      if (current < 0n) return { kind: 'wrong_expected_version', currentVersion: current };
      expected = EXPECTED_ANY;
    }

    if (expected === EXPECTED_ANY) {
      const idempotent = this.idempotentForAny(streamName, events, current);
      if (idempotent) return idempotent;
    } else if (expected < current) {
      return this.idempotentForRevision(stream ?? [], expected, events, current);
    } else if (expected > current) {
      return { kind: 'wrong_expected_version', currentVersion: current };
    }

    return this.write(streamName, current, events);
  }

  /**
   * Expected `any`: a retry is recognised when the first event id is already in this stream. If the first id matches
   * but a later one does not, EventStoreDB reports "corrupted idempotency" as a wrong expected version.
   */
  private idempotentForAny(streamName: string, events: readonly ProposedEvent[], current: bigint): AppendOutcome | undefined {
    let first: StoredEvent | undefined;
    let last: StoredEvent | undefined;
    for (const event of events) {
      const known = this.byEventId.get(event.eventId);
      if (!known || known.streamName !== streamName) {
        return first ? { kind: 'wrong_expected_version', currentVersion: current } : undefined;
      }
      first ??= known;
      last = known;
    }
    return last ? { kind: 'success', lastRevision: last.revision, position: last.logPosition } : undefined;
  }

  /** Expected revision behind the stream: idempotent only if the same ids sit at the revisions right after it. */
  private idempotentForRevision(
    stream: readonly StoredEvent[],
    expected: bigint,
    events: readonly ProposedEvent[],
    current: bigint,
  ): AppendOutcome {
    let revision = expected;
    for (const event of events) {
      revision += 1n;
      const stored = revision <= current ? stream[Number(revision)] : undefined;
      if (!stored || stored.eventId !== event.eventId) return { kind: 'wrong_expected_version', currentVersion: current };
    }
    if (revision === expected) return { kind: 'wrong_expected_version', currentVersion: current };
    return { kind: 'success', lastRevision: revision, position: stream[Number(revision)].logPosition };
  }

  private write(streamName: string, current: bigint, events: readonly ProposedEvent[]): AppendOutcome {
    if (events.length === 0) return { kind: 'success', lastRevision: current, position: undefined };
    const stream = this.streams.get(streamName) ?? [];
    this.streams.set(streamName, stream);
    const createdTicks = BigInt(Date.now()) * 10_000n;
    let revision = current;
    let position = this.nextPosition;
    for (const event of events) {
      revision += 1n;
      position = this.nextPosition;
      const stored: StoredEvent = { ...event, streamName, revision, logPosition: position, createdTicks };
      this.nextPosition += BigInt(recordSize(stored));
      this.all.push(stored);
      stream.push(stored);
      this.byEventId.set(event.eventId, stored);
    }
    for (const listener of [...this.listeners]) listener();
    return { kind: 'success', lastRevision: revision, position };
  }
}

function recordSize(event: StoredEvent): number {
  const stringSize = (s: string) => {
    const bytes = Buffer.byteLength(s, 'utf8');
    return bytes + Math.max(1, Math.ceil(Math.log2(bytes + 1) / 7));
  };
  return (
    PREPARE_RECORD_OVERHEAD +
    stringSize(event.streamName) +
    stringSize(event.eventType) +
    event.data.length +
    event.metadata.length
  );
}

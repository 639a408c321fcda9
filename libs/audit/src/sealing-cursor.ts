import { AUDIT_PERIOD_SEALED, AUDIT_SEALS_STREAM, buildSeal, entrySize, isAuditStream, type HashedEvent, type SealSigner } from '@verdict/domain/audit';
import { uuidV5 } from '@verdict/domain/deterministic-id';
import { isWrongExpectedRevision, NO_STREAM, textChars, type EventStore } from '@verdict/event-store';
import { hashOf, READ_PAGE, READ_PAGE_CHARS } from './hashed-log';

/**
 * A seal's entries are bounded so that the seal event stays well under EventStoreDB's default 1 MiB append limit
 * (the base64 of 512 KiB is about 683 KiB); a busy period is cut into several seals.
 */
export const MAX_SEAL_ENTRY_BYTES = 512 * 1024;

export interface SealLimits {
  /** Most events one seal covers (VERDICT_SEAL_MAX_EVENTS). */
  readonly maxEvents: number;
  readonly maxEntryBytes?: number;
}

/** The last seal in `audit-seals`, as the next one continues it. */
export interface LastSeal {
  /** Revision of the last event in `audit-seals` (= that seal's index). */
  readonly index: number;
  readonly toPosition: bigint;
  readonly sealHash: string;
  readonly sealedAt: string;
}

export type SealOutcome =
  | { readonly kind: 'sealed'; readonly seal: LastSeal; readonly count: number; readonly position: bigint }
  /** Another instance appended a seal first: resync from the stream and go on. */
  | { readonly kind: 'lost' }
  /** Nothing but audit events since the last seal. */
  | { readonly kind: 'nothing' };

/**
 * The sealer's state between seals: the hashed events read since the last seal, ready to be cut into the next one.
 * Reading and hashing happen as events arrive, so a seal costs only its tree, its signature and one append. The append
 * expects `audit-seals` at the last seal's revision, so among several instances exactly one seal lands per index.
 */
export class SealingCursor {
  private pending: HashedEvent[] = [];
  private pendingBytes = 0;
  private readThrough: bigint;

  constructor(
    private readonly store: EventStore,
    private readonly signer: SealSigner,
    private readonly limits: SealLimits,
    private last: LastSeal | null,
  ) {
    this.readThrough = last?.toPosition ?? 0n;
  }

  get lastSeal(): LastSeal | null {
    return this.last;
  }

  /** Events read but not sealed yet. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /** A seal's worth is pending: seal now, whatever the interval says. */
  get full(): boolean {
    return this.pending.length >= this.limits.maxEvents || this.pendingBytes >= (this.limits.maxEntryBytes ?? MAX_SEAL_ENTRY_BYTES);
  }

  /** Anything pending besides audit events (which alone never make a seal due). */
  get hasSubstance(): boolean {
    return this.pending.some((e) => !isAuditStream(e.streamId));
  }

  /**
   * Reads and hashes the log after what was read, until its end or a seal's worth, in pages of at most READ_PAGE_CHARS
   * of text. A short page is the end unless its text is large enough to have been cut: then it reads on. (A page cut
   * before an event of more than half READ_PAGE_CHARS looks like the end; the next catch-up goes on from there.)
   */
  async catchUp(): Promise<void> {
    while (!this.full) {
      const page = await this.store.readAllText({ after: this.readThrough, maxCount: READ_PAGE, maxChars: READ_PAGE_CHARS });
      let chars = 0;
      for (const e of page) {
        this.add(hashOf(e));
        chars += textChars(e);
      }
      if (page.length > 0) this.readThrough = page[page.length - 1].position;
      if (page.length === 0 || (page.length < READ_PAGE && chars <= READ_PAGE_CHARS / 2)) return;
    }
  }

  /** Cuts the next seal from the pending events (at most a seal's worth) and appends it. */
  async seal(now: Date): Promise<SealOutcome> {
    if (!this.hasSubstance) return { kind: 'nothing' };
    const take = this.sealable();
    const { data, sealHash } = buildSeal(take, this.last, this.signer, now);
    try {
      const result = await this.store.appendToStream(
        AUDIT_SEALS_STREAM,
        [{ id: uuidV5(`audit-seal:${data.index}:${sealHash}`), type: AUDIT_PERIOD_SEALED, data: { ...data } }],
        { expectedRevision: this.last === null ? NO_STREAM : BigInt(this.last.index) },
      );
      this.last = { index: data.index, toPosition: BigInt(data.toPosition), sealHash, sealedAt: data.sealedAt };
      this.dropThrough(this.last.toPosition);
      return { kind: 'sealed', seal: this.last, count: take.length, position: result.position };
    } catch (e) {
      if (isWrongExpectedRevision(e)) return { kind: 'lost' };
      throw e;
    }
  }

  /** Continues after a seal another instance appended (or after a restart). */
  resync(last: LastSeal | null): void {
    this.last = last;
    const through = last?.toPosition ?? 0n;
    this.dropThrough(through);
    if (this.readThrough < through) this.readThrough = through;
  }

  private add(e: HashedEvent): void {
    const previous = this.pending.length > 0 ? this.pending[this.pending.length - 1].position : (this.last?.toPosition ?? 0n);
    this.pending.push(e);
    this.pendingBytes += entrySize(e.position - previous, e.streamId, e.revision);
  }

  /** The longest prefix of the pending events within the limits. */
  private sealable(): HashedEvent[] {
    const maxBytes = this.limits.maxEntryBytes ?? MAX_SEAL_ENTRY_BYTES;
    let bytes = 0;
    let previous = this.last?.toPosition ?? 0n;
    let n = 0;
    while (n < this.pending.length && n < this.limits.maxEvents) {
      const e = this.pending[n];
      const size = entrySize(e.position - previous, e.streamId, e.revision);
      if (n > 0 && bytes + size > maxBytes) break;
      bytes += size;
      previous = e.position;
      n++;
    }
    return this.pending.slice(0, n);
  }

  private dropThrough(position: bigint): void {
    const kept = this.pending.filter((e) => e.position > position);
    this.pending = [];
    this.pendingBytes = 0;
    for (const e of kept) this.add(e);
  }
}

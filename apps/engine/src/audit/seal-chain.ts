import type { LastSeal } from '@verdict/audit';
import { readSeals } from '@verdict/audit';
import type { EventStore } from '@verdict/event-store';
import type { SealedRanges, SealIndex, SealRef } from './seal-index.port';
import { sealedRanges } from './sealed-ranges';

/**
 * The seals of `audit-seals`, kept in memory and read incrementally: the engine's SealIndex (which seal covers a
 * position, by binary search) and the sealer's view of the last seal. A malformed seal event (only a tampered store
 * has one) covers nothing here; verification reports it.
 */
export class SealChain implements SealIndex {
  private readonly refs: SealRef[] = [];
  private nextRevision = 0n;
  private last: LastSeal | null = null;
  private reading: Promise<void> | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly intervalMs: number,
    private readonly startedAt = Date.now(),
  ) {}

  /** Reads the seals appended since the last call (concurrent callers share one read). */
  refresh(): Promise<void> {
    this.reading ??= this.read().finally(() => (this.reading = null));
    return this.reading;
  }

  lastSeal(): LastSeal | null {
    return this.last;
  }

  /** When the next seal is due: an interval after the last one (or after this engine started, before any seal). */
  dueAt(): number {
    return (this.last ? Date.parse(this.last.sealedAt) : this.startedAt) + this.intervalMs;
  }

  async snapshot(): Promise<SealedRanges> {
    await this.refresh();
    const seals = [...this.refs];
    // A seal already overdue is cut within the sealer's next tick.
    const nextSealDueBy = new Date(Math.max(this.dueAt(), Date.now() + Math.min(this.intervalMs, 1000))).toISOString();
    return sealedRanges(seals, nextSealDueBy);
  }

  private async read(): Promise<void> {
    const seals = await readSeals(this.store, this.nextRevision);
    for (const s of seals) {
      this.nextRevision = s.revision + 1n;
      if (!s.ok) continue;
      const ref: SealRef = {
        index: s.seal.index,
        sealHash: s.sealHash,
        fromPosition: BigInt(s.seal.fromPosition),
        toPosition: BigInt(s.seal.toPosition),
        sealedAt: s.seal.sealedAt,
        keyId: s.seal.keyId,
      };
      // Ranges must stay ordered for the binary search; a seal out of order is a broken chain, left to verification.
      if (this.refs.length === 0 || ref.fromPosition >= this.refs[this.refs.length - 1].toPosition) this.refs.push(ref);
      this.last = { index: Number(s.revision), toPosition: ref.toPosition, sealHash: ref.sealHash, sealedAt: ref.sealedAt };
    }
  }
}

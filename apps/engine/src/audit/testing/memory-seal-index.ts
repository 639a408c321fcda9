import { randomBytes } from 'node:crypto';
import type { SealedRanges, SealIndex, SealRef } from '../seal-index.port';
import { sealedRanges } from '../sealed-ranges';

/**
 * A SealIndex kept in memory, for tests of its readers (context, export): seals are added in order, each covering
 * (previous toPosition, toPosition], and snapshot() answers as the real index does, from an immutable copy.
 */
export class MemorySealIndex implements SealIndex {
  private readonly seals: SealRef[] = [];
  snapshots = 0;

  constructor(private readonly nextSealDueBy = '2099-01-01T00:00:00.000Z') {}

  /** Seals everything after the last seal up to `toPosition` (inclusive). */
  seal(toPosition: bigint, sealedAt = new Date().toISOString()): SealRef {
    const fromPosition = this.seals.at(-1)?.toPosition ?? 0n;
    if (toPosition <= fromPosition) throw new RangeError(`seal must end after ${fromPosition}`);
    const ref: SealRef = { index: this.seals.length, sealHash: randomBytes(32).toString('hex'), fromPosition, toPosition, sealedAt, keyId: randomBytes(16).toString('hex') };
    this.seals.push(ref);
    return ref;
  }

  async snapshot(): Promise<SealedRanges> {
    this.snapshots++;
    const seals = [...this.seals];
    const nextSealDueBy = this.nextSealDueBy;
    return sealedRanges(seals, nextSealDueBy);
  }
}

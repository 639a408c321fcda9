import type { SealedRanges, SealIndex, SealRef } from '../audit/seal-index.port';

/** The seal covering a decision, as JSON (positions as decimal strings, like every position the API returns). */
export interface SealJson {
  readonly index: number;
  readonly sealHash: string;
  readonly fromPosition: string;
  readonly toPosition: string;
  readonly sealedAt: string;
  readonly keyId: string;
}

export const toSealJson = (ref: SealRef): SealJson => ({
  index: ref.index,
  sealHash: ref.sealHash,
  fromPosition: ref.fromPosition.toString(),
  toPosition: ref.toPosition.toString(),
  sealedAt: ref.sealedAt,
  keyId: ref.keyId,
});

/**
 * Seal lookups along a log read in position order: one snapshot, renewed only once the read passes what it covered
 * (so a long export picks up seals made while it runs, without a snapshot per row). Without a seal index (no sealer
 * wired in this engine) nothing is sealed and every lookup is null.
 */
export class SealCursor {
  private ranges: SealedRanges | null = null;

  constructor(private readonly index: SealIndex | null) {}

  /** Call before looking up positions up to `position`. */
  async reach(position: bigint): Promise<void> {
    if (this.index && (this.ranges === null || position > this.ranges.sealedThrough)) this.ranges = await this.index.snapshot();
  }

  covering(position: bigint): SealRef | null {
    return this.ranges?.covering(position) ?? null;
  }
}

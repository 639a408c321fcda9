import type { SealedRanges, SealRef } from './seal-index.port';

/** The seals known at one moment, in chain order (consecutive ranges), searched by binary search. */
export function sealedRanges(seals: readonly SealRef[], nextSealDueBy: string): SealedRanges {
  return {
    sealedThrough: seals.at(-1)?.toPosition ?? 0n,
    nextSealDueBy,
    covering(position: bigint): SealRef | null {
      let lo = 0;
      let hi = seals.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const s = seals[mid];
        if (position <= s.fromPosition) hi = mid - 1;
        else if (position > s.toPosition) lo = mid + 1;
        else return s;
      }
      return null;
    },
  };
}

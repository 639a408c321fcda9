/**
 * Which audit seal covers a global position. The sealer's side (apps/engine/src/audit) keeps it from the `audit-seals`
 * stream; export rows and decision context read it. A seal covers the positions (fromPosition, toPosition].
 */
export interface SealRef {
  /** 0-based: the seal's revision in `audit-seals`. */
  readonly index: number;
  /** sha256 (hex) of the signed seal: what the next seal chains to and what a proof's seal hashes to. */
  readonly sealHash: string;
  /** Exclusive. */
  readonly fromPosition: bigint;
  /** Inclusive. */
  readonly toPosition: bigint;
  readonly sealedAt: string;
  readonly keyId: string;
}

/** The seals known at one moment, searchable without I/O (binary search). */
export interface SealedRanges {
  covering(position: bigint): SealRef | null;
  /** Highest position covered by a seal; 0n when nothing is sealed yet. */
  readonly sealedThrough: bigint;
  /** When the next seal is due at the latest (ISO 8601), for "not sealed yet" answers. */
  readonly nextSealDueBy: string;
}

export interface SealIndex {
  /** Reads any seals appended since the last call, then answers from memory. */
  snapshot(): Promise<SealedRanges>;
}

export const SEAL_INDEX = Symbol('SEAL_INDEX');

import type { SealRef } from '../audit/seal-index.port';

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

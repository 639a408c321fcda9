/**
 * What a verification can find. Event findings name the position and the stream (and the seal whose range holds
 * them); seal findings name the seal. Any finding makes the verification fail.
 */
export type EventFindingKind =
  /** Sealed here, still here under the same stream and revision, but its content no longer hashes the same. */
  | 'altered'
  /** Sealed here, gone from the store. */
  | 'missing'
  /** In a sealed range of the store, but no seal lists it (a forged insert). */
  | 'extra'
  /** Sealed at another position than the one it now holds. */
  | 'reordered';

export type SealFindingKind =
  /** The range's events do not rebuild the signed Merkle root, and the entries do not say which one differs. */
  | 'root-mismatch'
  /** The entries do not hash to the signed entriesSha256, or cannot be decoded, or their count differs. */
  | 'entries-mismatch'
  /** previousSealHash, index or fromPosition does not continue the previous seal. */
  | 'chain-broken'
  /** The Ed25519 signature does not verify with the key the seal names. */
  | 'bad-signature'
  /** The seal names a key that is neither in `audit-keys` nor among the trusted keys given. */
  | 'unknown-key'
  /** The seal event is not a well-formed AuditPeriodSealed. */
  | 'malformed-seal';

export interface EventFinding {
  readonly kind: EventFindingKind;
  /** Where the store holds it (for `missing`: where it was sealed). Decimal string. */
  readonly position: string;
  readonly stream: string;
  readonly revision: string;
  /** The index of the seal whose range holds the position. */
  readonly seal: number;
  /** For `reordered`: the position it was sealed at. */
  readonly sealedPosition?: string;
  readonly detail: string;
}

export interface SealFinding {
  readonly kind: SealFindingKind;
  readonly seal: number;
  readonly detail: string;
}

export type AuditFinding = EventFinding | SealFinding;

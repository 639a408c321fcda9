/**
 * The audit streams and their events (docs/audit.md, docs/events.md). Seals chain on `audit-seals`; the public keys
 * that signed them are kept on `audit-keys`, so a rotated key still verifies the seals it made.
 */
export const AUDIT_SEALS_STREAM = 'audit-seals';
export const AUDIT_KEYS_STREAM = 'audit-keys';
export const AUDIT_PERIOD_SEALED = 'AuditPeriodSealed';
export const AUDIT_SIGNING_KEY_ADDED = 'AuditSigningKeyAdded';

/** Streams whose events alone never make a seal due (else the sealer would seal its own seals forever). */
export const isAuditStream = (streamId: string): boolean => streamId === AUDIT_SEALS_STREAM || streamId === AUDIT_KEYS_STREAM;

export const SEAL_SCHEMA_VERSION = 1;

/** Everything a seal says except its signature and entries; the signature is over this header's canonical JSON. */
export interface SealHeader {
  readonly schemaVersion: 1;
  /** 0-based; equals the seal's revision in `audit-seals`. */
  readonly index: number;
  /** Exclusive: the previous seal's toPosition, "0" for the first seal. Decimal string (64-bit). */
  readonly fromPosition: string;
  /** Inclusive. */
  readonly toPosition: string;
  /** Events covered: the leaves of the tree. */
  readonly count: number;
  /** RFC 6962 Merkle tree hash over the covered events' hashes, in position order (hex). */
  readonly merkleRoot: string;
  /** sha256 (hex) of the decoded entries' bytes. */
  readonly entriesSha256: string;
  /** sealHash of the previous seal (hex), null for the first. */
  readonly previousSealHash: string | null;
  readonly sealedAt: string;
  readonly keyId: string;
}

/** `AuditPeriodSealed` v1: the header, an Ed25519 signature over it (base64) and the entries (base64). */
export interface AuditPeriodSealedV1 extends SealHeader {
  readonly signature: string;
  readonly entries: string;
}

/** `AuditSigningKeyAdded` v1: a public key seals may name. */
export interface AuditSigningKeyAddedV1 {
  readonly schemaVersion: 1;
  readonly keyId: string;
  readonly algorithm: 'ed25519';
  /** SPKI, PEM. */
  readonly publicKeyPem: string;
  readonly addedAt: string;
}

export function sealHeaderOf(e: AuditPeriodSealedV1): SealHeader {
  return {
    schemaVersion: e.schemaVersion,
    index: e.index,
    fromPosition: e.fromPosition,
    toPosition: e.toPosition,
    count: e.count,
    merkleRoot: e.merkleRoot,
    entriesSha256: e.entriesSha256,
    previousSealHash: e.previousSealHash,
    sealedAt: e.sealedAt,
    keyId: e.keyId,
  };
}

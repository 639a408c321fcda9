/**
 * The artifact store port: model bytes, content-addressed by their sha256. The registry stores a version's bytes
 * here (durably) before it appends the registration event; any engine instance, and an auditor's replay, fetches
 * them by sha256. Adapters: filesystem (embedded default) and PostgreSQL (production). The contract suite in
 * testing/artifact-store.contract.ts is what "implements" means.
 */

export interface ArtifactRef {
  /** Lower-case hex sha256 of the bytes. */
  readonly sha256: string;
  readonly sizeBytes: number;
}

export interface ArtifactStore {
  readonly kind: 'filesystem' | 'postgres';
  /**
   * Stores `bytes` under their sha256. Idempotent: the same bytes again are a no-op with the same ref. Resolves only
   * once the bytes are durable. Empty bytes are refused (InvalidArtifactError): no model is zero bytes.
   */
  put(bytes: Uint8Array): Promise<ArtifactRef>;
  /** The bytes as stored, or null. Never repaired or verified here: use getVerified to re-hash. */
  get(sha256: string): Promise<Uint8Array | null>;
  has(sha256: string): Promise<boolean>;
  /** Cheap round trip for readiness. @throws ArtifactStoreUnavailableError */
  ping(): Promise<void>;
  close(): Promise<void>;
}

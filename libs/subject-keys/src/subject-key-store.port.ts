/**
 * The subject key store (docs/security.md, "Erasure"): one live key per data subject, wrapped by the master key, and
 * the identity directory (each pseudonym's clear value, sealed under its subject's key) that lets reads show personal
 * values again. It lives in the same database as the event store (SQLite or PostgreSQL; with EventStoreDB, the
 * read models' database). Destroying a subject's keys and identities is the erasure: nothing else can open them.
 * Adapters store bytes and never see a clear key or value.
 */
export interface StoredSubjectKey {
  readonly keyId: string;
  readonly subjectRef: string;
  /** The subject key sealed under the wrapping key (wrapKey). */
  readonly wrapped: Buffer;
}

export interface StoredIdentity {
  readonly pseudonym: string;
  /** `cardId`, `customerId`, `deviceId`, `ip` or `attributes.<name>`. */
  readonly field: string;
  readonly subjectRef: string;
  readonly keyId: string;
  /** The clear value (JSON) sealed under the subject key, bound to the pseudonym (a SealedBox as JSON). */
  readonly sealed: Buffer;
}

/** One erasure as the store recorded it: the keys it destroyed and the pseudonyms it forgot. */
export interface ErasureRecord {
  /**
   * Increases with every erasure in this store, and erasures become visible in sequence order (a follower reading
   * erasuresAfter(n) never skips one that commits late): other instances follow it to drop what they cached.
   */
  readonly sequence: number;
  readonly subjectRef: string;
  readonly erasedAt: Date;
  readonly keyIds: readonly string[];
  readonly identities: readonly { readonly field: string; readonly pseudonym: string }[];
}

export type RegisterResult =
  | { readonly ok: true }
  /** Another writer created a live key for these subjects first: seal again under them and register again. */
  | { readonly ok: false; readonly liveKeys: readonly StoredSubjectKey[] };

export interface SubjectKeyStore {
  /** The live key of each subject that has one. */
  liveKeys(subjectRefs: readonly string[]): Promise<StoredSubjectKey[]>;
  /** One live key, any: what start-up unwraps to check that its master key is the one that wrapped them. */
  anyKey(): Promise<StoredSubjectKey | undefined>;
  /** Keys by id, live ones only (a destroyed key is gone). */
  keysById(keyIds: readonly string[]): Promise<StoredSubjectKey[]>;
  /**
   * Durably, in one transaction: the new keys (one per subject that has no live key) and the identities (a
   * pseudonym already present is kept as it is). Refused as a whole, with the live keys, when a new key or an
   * identity's key is not its subject's live key after the new keys are in, because another writer got there first.
   */
  register(keys: readonly StoredSubjectKey[], identities: readonly StoredIdentity[]): Promise<RegisterResult>;
  identities(pseudonyms: readonly string[]): Promise<StoredIdentity[]>;
  /**
   * Destroys every key and identity of the subject and records the erasure, in one transaction. A subject with
   * nothing left is recorded too (an empty erasure), so retrying an erasure is harmless.
   */
  erase(subjectRef: string, erasedAt: Date): Promise<ErasureRecord>;
  /** Erasures recorded after `afterSequence`, oldest first. */
  erasuresAfter(afterSequence: number, limit: number): Promise<ErasureRecord[]>;
  /** The latest erasure of a subject, if any. */
  lastErasure(subjectRef: string): Promise<ErasureRecord | undefined>;
  close(): Promise<void>;
}

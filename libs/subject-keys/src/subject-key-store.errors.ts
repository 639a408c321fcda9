/** The key store cannot be reached or opened: decisions that need a new key, and reads that need one, wait for it. */
export class SubjectKeyStoreUnavailableError extends Error {
  readonly code = 'SUBJECT_KEY_STORE_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SubjectKeyStoreUnavailableError';
  }
}

export const isSubjectKeyStoreUnavailable = (e: unknown): e is SubjectKeyStoreUnavailableError =>
  e instanceof Error && (e as { code?: unknown }).code === 'SUBJECT_KEY_STORE_UNAVAILABLE';

/**
 * The configured master key did not wrap the keys in the store. Every instance on one store must use the same master
 * key: with another one an instance would make new keys and pseudonyms of its own, and split subjects and history.
 */
export class MasterKeyMismatchError extends Error {
  readonly code = 'MASTER_KEY_MISMATCH';
  constructor(keyId: string) {
    super(
      `the master key does not open the subject keys in the key store (key ${keyId} does not unwrap): every instance on one store must use the same master key (VERDICT_MASTER_KEY)`,
    );
    this.name = 'MasterKeyMismatchError';
  }
}

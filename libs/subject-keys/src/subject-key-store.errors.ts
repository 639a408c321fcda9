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

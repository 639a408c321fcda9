import type { StoredIdentity, StoredSubjectKey } from './subject-key-store.port';

/** Rows of subject_keys and subject_identities as both SQL adapters select them (same column names). */
export interface KeyRow {
  key_id: string;
  subject_ref: string;
  wrapped: Buffer;
}

export interface IdentityRow extends Omit<KeyRow, 'wrapped'> {
  pseudonym: string;
  field: string;
  sealed: Buffer;
}

export const KEY_COLUMNS = 'key_id, subject_ref, wrapped';
export const IDENTITY_COLUMNS = 'pseudonym, field, subject_ref, key_id, sealed';
export const toKey = (r: KeyRow): StoredSubjectKey => ({ keyId: r.key_id, subjectRef: r.subject_ref, wrapped: r.wrapped });
export const toIdentity = (r: IdentityRow): StoredIdentity => ({ pseudonym: r.pseudonym, field: r.field, subjectRef: r.subject_ref, keyId: r.key_id, sealed: r.sealed });

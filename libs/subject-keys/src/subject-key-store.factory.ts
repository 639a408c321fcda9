import type { SubjectKeyStore } from './subject-key-store.port';
import { SqliteSubjectKeyStore } from './sqlite/sqlite-subject-key-store';

export interface SubjectKeyStoreSelection {
  readonly kind: 'sqlite' | 'postgres';
  /** sqlite: the database file; postgres: a postgres:// URL. */
  readonly url: string;
  /** PostgreSQL schema; ignored by SQLite. */
  readonly schema?: string;
}

/** The one place configuration picks an adapter. */
export async function createSubjectKeyStore(selection: SubjectKeyStoreSelection): Promise<SubjectKeyStore> {
  if (selection.kind === 'postgres') {
    const { PostgresSubjectKeyStore } = await import('./postgres/postgres-subject-key-store');
    return PostgresSubjectKeyStore.open({ connectionString: selection.url, schema: selection.schema ?? 'verdict' });
  }
  return SqliteSubjectKeyStore.open(selection.url);
}

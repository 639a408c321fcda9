import { PostgresSubjectKeyStore } from './postgres/postgres-subject-key-store';
import { SqliteSubjectKeyStore } from './sqlite/sqlite-subject-key-store';
import type { SubjectKeyStore } from './subject-key-store.port';

export interface SubjectKeyStoreSelection {
  /** The event store's backend (with EventStoreDB, the read models' database). */
  readonly kind: 'sqlite' | 'postgres';
  /** sqlite: the event store's database file; postgres: a postgres:// URL. */
  readonly url: string;
  /** PostgreSQL schema (default 'verdict'); ignored by SQLite. */
  readonly schema?: string;
}

/** The one place configuration picks an adapter. */
export async function createSubjectKeyStore(selection: SubjectKeyStoreSelection): Promise<SubjectKeyStore> {
  switch (selection.kind) {
    case 'postgres':
      return PostgresSubjectKeyStore.open({ connectionString: selection.url, schema: selection.schema });
    case 'sqlite':
      return SqliteSubjectKeyStore.open(selection.url);
    default:
      throw new Error(`Unknown subject key store kind "${(selection as { kind: unknown }).kind}"`);
  }
}

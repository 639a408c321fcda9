import { PostgresSubjectKeyStore } from './postgres/postgres-subject-key-store';
import { SqliteKeyStoreThread } from './sqlite/sqlite-key-store-thread';
import type { SubjectKeyStore } from './subject-key-store.port';

export interface SubjectKeyStoreSelection {
  /** The event store's backend (with EventStoreDB, the read models' database). */
  readonly kind: 'sqlite' | 'postgres';
  /** sqlite: the key store's database file (beside the event store's); postgres: a postgres:// URL. */
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
      // On a thread of its own: its commits (fsync) must not stop the caller's thread.
      return SqliteKeyStoreThread.open(selection.url);
    default:
      throw new Error(`Unknown subject key store kind "${(selection as { kind: unknown }).kind}"`);
  }
}

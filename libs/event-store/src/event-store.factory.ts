import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { EventStore } from './event-store.port';
import { createSqliteEventStore } from './sqlite/sqlite-event-store';
import { createPostgresEventStore } from './postgres/postgres-event-store';

export interface EventStoreSelection {
  readonly kind: 'sqlite' | 'postgres' | 'esdb';
  /** sqlite: file path; postgres: postgres:// URL; esdb: esdb:// connection string. */
  readonly url: string;
  /** PostgreSQL schema (default 'verdict'); ignored by the other adapters. */
  readonly schema?: string;
}

export interface EventStoreOpening {
  /**
   * This instance only reads (a reader thread's own connection: history, projections, export, replay, verification).
   * Its appends fail with EventStoreReadOnlyError. On SQLite it starts no writer thread, and leaves the file as it
   * finds it (it must exist; no migration). On PostgreSQL the schema must exist at the adapter's version: it is
   * checked, never created or migrated, so a role that may only SELECT can open it.
   */
  readonly readOnly?: boolean;
}

/** The one place configuration picks an adapter. */
export async function createEventStore(selection: EventStoreSelection, opening: EventStoreOpening = {}): Promise<EventStore> {
  const readOnly = opening.readOnly ?? false;
  switch (selection.kind) {
    case 'sqlite':
      mkdirSync(path.dirname(path.resolve(selection.url)), { recursive: true }); // a fresh checkout has no ./data yet
      return createSqliteEventStore({ path: selection.url, readOnly });
    case 'postgres':
      return createPostgresEventStore({ connectionString: selection.url, schema: selection.schema, readOnly });
    case 'esdb': {
      // Loaded on demand: the EventStoreDB client and gRPC cost every process and thread ~160 ms to load.
      const { createEsdbEventStore } = await import('./esdb/esdb-event-store');
      return createEsdbEventStore({ connectionString: selection.url, readOnly });
    }
  }
}

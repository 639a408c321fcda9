import type { Database } from 'better-sqlite3';

/** Bump when the layout changes, and add the step to MIGRATIONS. */
export const SQLITE_SCHEMA_VERSION = 3;

const MIGRATIONS: Record<number, (db: Database) => void> = {
  // AUTOINCREMENT (not plain rowid) so a position is never reused, even after the last row is deleted by hand.
  1: (db) =>
    db.exec(`
    CREATE TABLE IF NOT EXISTS events (
      position     INTEGER PRIMARY KEY AUTOINCREMENT,
      event_id     TEXT    NOT NULL,
      stream_id    TEXT    NOT NULL,
      revision     INTEGER NOT NULL,
      type         TEXT    NOT NULL,
      data         TEXT    NOT NULL,
      metadata     TEXT    NOT NULL,
      recorded_at  INTEGER NOT NULL,
      CONSTRAINT events_event_id_unique UNIQUE (event_id),
      CONSTRAINT events_stream_revision_unique UNIQUE (stream_id, revision)
    );
  `),
  // Builds before 2026-12-03 stored JSON.stringify text; every build that knows version 2 stores canonical JSON and
  // says so row by row, so readers can trust that text (readAllText's `canonical`) and parse the rest. Per row, not
  // from a position: an older build still running on the file after the migration inserts its rows with the default.
  2: addCanonicalColumn,
  // Builds of 2026-12-05 between 93e726a and 8bfc65c took files to version 2 with a `store_facts` table (a position)
  // instead of this column: such a file gets the column now, and its rows, never vouched for, default to 0.
  3: (db) => {
    addCanonicalColumn(db);
    db.exec('DROP TABLE IF EXISTS store_facts');
  },
};

function addCanonicalColumn(db: Database): void {
  if (!hasCanonicalColumn(db)) db.exec('ALTER TABLE events ADD COLUMN canonical INTEGER NOT NULL DEFAULT 0');
}

/** True when the file's events table says per row whether its text is canonical (schema version 3; 2 for most files). */
export function hasCanonicalColumn(db: Database): boolean {
  return (db.prepare('SELECT name FROM pragma_table_info(?)').all('events') as { name: string }[]).some((c) => c.name === 'canonical');
}

export class SqliteSchemaTooNewError extends Error {
  constructor(found: number) {
    super(`Event store file has schema version ${found}; this build understands up to ${SQLITE_SCHEMA_VERSION}`);
    this.name = 'SqliteSchemaTooNewError';
  }
}

/**
 * The file's schema version, for a connection that must not write (a read-only store): nothing is migrated.
 * @throws SqliteSchemaTooNewError above this build's version; Error for a file that holds no event store.
 */
export function readableSqliteSchema(db: Database): number {
  const found = currentVersion(db);
  if (found > SQLITE_SCHEMA_VERSION) throw new SqliteSchemaTooNewError(found);
  if (found === 0) throw new Error('the file holds no event store (no schema version)');
  return found;
}

function currentVersion(db: Database): number {
  const table = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'`).get();
  if (table === undefined) return 0;
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_version').get() as { version: number | null };
  return row.version ?? 0;
}

/**
 * Brings the file to SQLITE_SCHEMA_VERSION. Idempotent and safe when several processes open the same file at once:
 * the version is re-read under the write lock, and a reader of an up-to-date file never takes that lock.
 */
export function ensureSqliteSchema(db: Database): void {
  if (currentVersion(db) === SQLITE_SCHEMA_VERSION) return;
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
    const found = currentVersion(db);
    if (found > SQLITE_SCHEMA_VERSION) throw new SqliteSchemaTooNewError(found);
    for (let v = found + 1; v <= SQLITE_SCHEMA_VERSION; v++) {
      MIGRATIONS[v](db);
      db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(v, Date.now());
    }
    db.exec('COMMIT');
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw e;
  }
}

import type { Database } from 'better-sqlite3';

/** Bump when the layout changes, and add the step to MIGRATIONS. */
export const SQLITE_SCHEMA_VERSION = 2;

const MIGRATIONS: Record<number, string> = {
  // AUTOINCREMENT (not plain rowid) so a position is never reused, even after the last row is deleted by hand.
  1: `
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
  `,
  // Builds before 2026-12-03 stored JSON.stringify text; every build that knows version 2 stores canonical JSON. The
  // first position this file holds in canonical form is recorded once, so readers can trust the text from there on
  // (readAllText's `canonical`) and parse what came before. A fresh file starts at 1: all of it is canonical.
  2: `
    CREATE TABLE IF NOT EXISTS store_facts (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    INSERT OR IGNORE INTO store_facts (name, value)
      VALUES ('canonical_text_from', COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0) + 1);
  `,
};

/** The first position whose data and metadata the file holds as canonical JSON (set by migration 2). */
export function canonicalTextFrom(db: Database): bigint {
  const row = db.prepare(`SELECT value FROM store_facts WHERE name = 'canonical_text_from'`).safeIntegers(true).get() as { value: bigint } | undefined;
  if (row === undefined) throw new Error('Event store file has no canonical_text_from fact (schema version 2)');
  return row.value;
}

export class SqliteSchemaTooNewError extends Error {
  constructor(found: number) {
    super(`Event store file has schema version ${found}; this build understands up to ${SQLITE_SCHEMA_VERSION}`);
    this.name = 'SqliteSchemaTooNewError';
  }
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
      db.exec(MIGRATIONS[v]);
      db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(v, Date.now());
    }
    db.exec('COMMIT');
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw e;
  }
}

import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';

/** A row as builds before canonical storage wrote it: data and metadata are whatever text they stored. */
export interface VersionOneRow {
  readonly streamId: string;
  readonly revision: number;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
}

/** Creates an event store file at schema version 1 (before canonical storage), holding these rows. */
export function writeVersionOneFile(path: string, rows: readonly VersionOneRow[]): void {
  const raw = new Database(path);
  try {
    raw.exec(`
      CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);
      INSERT INTO schema_version VALUES (1, 0);
      CREATE TABLE events (
        position INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL, stream_id TEXT NOT NULL, revision INTEGER NOT NULL,
        type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, recorded_at INTEGER NOT NULL,
        CONSTRAINT events_event_id_unique UNIQUE (event_id), CONSTRAINT events_stream_revision_unique UNIQUE (stream_id, revision));
    `);
    const insert = raw.prepare('INSERT INTO events (event_id, stream_id, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, 0)');
    for (const r of rows) insert.run(randomUUID(), r.streamId, r.revision, r.type, r.data, r.metadata);
  } finally {
    raw.close();
  }
}

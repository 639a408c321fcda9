import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStoreReadOnlyError, EventStoreUnavailableError } from '../event-store.errors';
import { newEvent } from '../testing/event-store-test-kit';
import { SqliteEventStore } from './sqlite-event-store';
import { writeVersionOneFile } from './testing/version-one-file';

const versionsOf = (path: string): number[] => {
  const raw = new Database(path, { readonly: true });
  try {
    return (raw.prepare('SELECT version FROM schema_version ORDER BY version').all() as { version: number }[]).map((r) => r.version);
  } finally {
    raw.close();
  }
};

describe('SQLite event store file: schema version 2 and canonical text', () => {
  let dir: string;
  let path: string;
  const opened: SqliteEventStore[] = [];
  const open = async (readOnly = false): Promise<SqliteEventStore> => {
    const store = await SqliteEventStore.open({ path, readOnly });
    opened.push(store);
    return store;
  };
  // A version-1 file as builds before canonical storage left it: JSON.stringify text, keys in insertion order.
  const oldRows = [
    { streamId: 'old-1', revision: 0, type: 'T', data: '{"z":1,"a":2}', metadata: '{}' },
    { streamId: 'old-1', revision: 1, type: 'T', data: '{"a":1}', metadata: '{}' },
  ];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'verdict-es-schema-'));
    path = join(dir, 'events.db');
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('vouches for the text of rows this build wrote, never for rows an older build wrote', async () => {
    writeVersionOneFile(path, oldRows);
    const store = await open();
    expect(versionsOf(path)).toEqual([1, 2, 3]);
    await store.appendToStream('new-1', [newEvent('T', { z: 1, a: 2 })], { expectedRevision: 'no_stream' });
    const texts = await store.readAllText();
    expect(texts.map((t) => [t.streamId, t.dataJson, t.canonical])).toEqual([
      ['old-1', '{"z":1,"a":2}', false],
      ['old-1', '{"a":1}', false], // canonical as it happens, but nothing vouches for it
      ['new-1', '{"a":2,"z":1}', true],
    ]);
    expect((await (await open()).readAllText()).map((t) => t.canonical)).toEqual([false, false, true]);
  });

  it('does not vouch for a row an older build inserts after the migration (it still runs on the file)', async () => {
    writeVersionOneFile(path, oldRows);
    const store = await open();
    await store.appendToStream('new-1', [newEvent()], { expectedRevision: 'no_stream' });
    // What a build from before version 2 does: its INSERT names its own columns, so `canonical` takes the default.
    const old = new Database(path);
    old
      .prepare('INSERT INTO events (event_id, stream_id, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, 0)')
      .run(randomUUID(), 'old-2', 0, 'T', '{"b":1,"a":2}', '{}');
    old.close();
    await store.appendToStream('new-2', [newEvent()], { expectedRevision: 'no_stream' });
    expect((await store.readAllText()).map((t) => [t.streamId, t.canonical])).toEqual([
      ['old-1', false],
      ['old-1', false],
      ['new-1', true],
      ['old-2', false],
      ['new-2', true],
    ]);
  });

  it('opened to read only: no writer thread, and a version-1 file is read as it is, not migrated', async () => {
    writeVersionOneFile(path, oldRows);
    const reader = await open(true);
    expect(reader.supervised()).toEqual([]);
    expect(reader.stats()).toMatchObject({ batches: 0, committedAppends: 0 });
    expect((await reader.readAllText()).map((t) => [t.dataJson, t.canonical])).toEqual([
      ['{"z":1,"a":2}', false],
      ['{"a":1}', false],
    ]);
    expect(await reader.readStream('old-1')).toHaveLength(2);
    await expect(reader.appendToStream('x', [newEvent()], { expectedRevision: 'any' })).rejects.toBeInstanceOf(EventStoreReadOnlyError);
    await expect(reader.terminateWriterThread()).rejects.toBeInstanceOf(EventStoreReadOnlyError);
    expect(versionsOf(path)).toEqual([1]);
  });

  it('opened to read only, refuses a missing file instead of creating one', async () => {
    await expect(SqliteEventStore.open({ path, readOnly: true })).rejects.toBeInstanceOf(EventStoreUnavailableError);
    expect(existsSync(path)).toBe(false);
  });

  it('opened to read only, leaves a crashed writer\'s WAL where it is (closing does not checkpoint it into the file)', async () => {
    const writer = await open();
    await writer.appendToStream('wal-1', [newEvent(), newEvent()], { expectedRevision: 'no_stream' });
    // A copy taken while the writer runs, as after a crash: the commits are still in the WAL, not in the file.
    const copy = join(dir, 'copy');
    mkdirSync(copy);
    copyFileSync(path, join(copy, 'events.db'));
    copyFileSync(`${path}-wal`, join(copy, 'events.db-wal'));
    const before = { file: readFileSync(join(copy, 'events.db')), wal: statSync(join(copy, 'events.db-wal')).size };
    const reader = await SqliteEventStore.open({ path: join(copy, 'events.db'), readOnly: true });
    expect(await reader.readStream('wal-1')).toHaveLength(2);
    await reader.close();
    expect(readFileSync(join(copy, 'events.db')).equals(before.file)).toBe(true);
    expect(statSync(join(copy, 'events.db-wal')).size).toBe(before.wal);
  });

  it('repairs a file an interim build took to version 2 without the column (version 3), vouching for none of its rows', async () => {
    writeVersionOneFile(path, oldRows);
    const interim = new Database(path);
    interim.exec(`
      CREATE TABLE store_facts (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
      INSERT INTO store_facts VALUES ('canonical_text_from', 3);
      INSERT INTO schema_version VALUES (2, 0);
    `);
    interim.close();
    const store = await open();
    expect(versionsOf(path)).toEqual([1, 2, 3]);
    await store.appendToStream('new-1', [newEvent()], { expectedRevision: 'no_stream' });
    expect((await store.readAllText()).map((t) => t.canonical)).toEqual([false, false, true]);
    const raw = new Database(path, { readonly: true });
    try {
      expect(raw.prepare("SELECT name FROM sqlite_master WHERE name = 'store_facts'").all()).toEqual([]);
    } finally {
      raw.close();
    }
  });
});

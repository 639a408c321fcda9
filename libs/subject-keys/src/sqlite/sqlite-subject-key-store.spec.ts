import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteEventStore } from '../../../event-store/src/sqlite/sqlite-event-store';
import { newEvent } from '../../../event-store/src/testing/event-store-test-kit';
import { isSubjectKeyStoreUnavailable } from '../subject-key-store.errors';
import { createSubjectKeyStore } from '../subject-key-store.factory';
import { subjectKeyStoreContract } from '../testing/subject-key-store.contract';
import { SqliteKeyStoreThread } from './sqlite-key-store-thread';
import { SqliteSubjectKeyStore } from './sqlite-subject-key-store';

const tempFile = (): { dir: string; file: string } => {
  const dir = mkdtempSync(path.join(tmpdir(), 'verdict-subject-keys-'));
  return { dir, file: path.join(dir, 'events.sqlite') };
};

subjectKeyStoreContract({
  name: 'sqlite',
  open: async () => {
    const { dir, file } = tempFile();
    const store = await SqliteSubjectKeyStore.open(file);
    return {
      store,
      second: () => SqliteSubjectKeyStore.open(file),
      reopen: async () => {
        await store.close();
        return SqliteSubjectKeyStore.open(file);
      },
      dispose: async () => {
        await store.close(); // a no-op once reopened
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
});

// The same store on its own worker thread, as the engine opens it (createSubjectKeyStore).
subjectKeyStoreContract({
  name: 'sqlite on its thread',
  open: async () => {
    const { dir, file } = tempFile();
    const store = await SqliteKeyStoreThread.open(file);
    let closed = false;
    return {
      store,
      second: () => SqliteKeyStoreThread.open(file),
      reopen: async () => {
        await store.close();
        closed = true;
        return SqliteKeyStoreThread.open(file);
      },
      dispose: async () => {
        if (!closed) await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
});

describe('SqliteSubjectKeyStore', () => {
  let dir: string;
  let file: string;
  beforeEach(() => ({ dir, file } = tempFile()));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reports a location it cannot open as unavailable', async () => {
    const error = await SqliteSubjectKeyStore.open(path.join(dir, 'no', 'such', 'dir', 'events.sqlite')).catch((e: unknown) => e);
    expect(isSubjectKeyStoreUnavailable(error)).toBe(true);
    expect((error as Error).message).toContain('no/such/dir');
  });

  it('reports a file that is not a database as unavailable', async () => {
    writeFileSync(file, 'not a database, just text that is long enough to have a header '.repeat(4));
    expect(isSubjectKeyStoreUnavailable(await SqliteSubjectKeyStore.open(file).catch((e: unknown) => e))).toBe(true);
  });

  it("shares the event store's file: WAL, durable commits, its own tables, both stores working", async () => {
    const events = await SqliteEventStore.open({ path: file });
    const keys = await createSubjectKeyStore({ kind: 'sqlite', url: file });
    try {
      await events.appendToStream('decision-1', [newEvent()], { expectedRevision: 'no_stream' });
      const key = { keyId: 'k1', subjectRef: 'subj-1', wrapped: Buffer.from([0, 1, 2, 255]) };
      expect(await keys.register([key], [])).toEqual({ ok: true });
      await events.appendToStream('decision-2', [newEvent()], { expectedRevision: 'no_stream' });
      expect(await events.readAll()).toHaveLength(2);
      expect(await keys.liveKeys(['subj-1'])).toEqual([key]);
    } finally {
      await keys.close();
      await events.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'subject%' ORDER BY name`).all() as { name: string }[]).map((t) => t.name);
      expect(tables).toEqual(['subject_erasures', 'subject_identities', 'subject_keys']);
    } finally {
      db.close();
    }
  });

  it('runs with synchronous = FULL, so a registered key survives a power cut', async () => {
    const store = await SqliteSubjectKeyStore.open(file);
    try {
      // 2 = FULL; read through the store's own connection, where the setting lives.
      expect((store as unknown as { db: Database.Database }).db.pragma('synchronous', { simple: true })).toBe(2);
    } finally {
      await store.close();
    }
  });

  it('reports a closed store as unavailable', async () => {
    const store = await SqliteSubjectKeyStore.open(file);
    await store.close();
    expect(isSubjectKeyStoreUnavailable(await store.liveKeys(['x']).catch((e: unknown) => e))).toBe(true);
  });
});

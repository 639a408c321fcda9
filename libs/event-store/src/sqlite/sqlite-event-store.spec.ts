import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EventStoreUnavailableError,
  InvalidAppendError,
  WrongExpectedRevisionError,
} from '../event-store.errors';
import { describeEventStoreContract, PEER_POLL_INTERVAL_MS } from '../testing/event-store.contract';
import { newEvent, newEvents, settle, take, uniquePrefix } from '../testing/event-store-test-kit';
import { SqliteEventStore } from './sqlite-event-store';
import { SQLITE_SCHEMA_VERSION } from './sqlite-schema';

describeEventStoreContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'verdict-es-sqlite-'));
  const path = join(dir, 'events.db');
  const store = await SqliteEventStore.open({ path });
  return {
    store,
    openPeer: () => SqliteEventStore.open({ path, pollIntervalMs: PEER_POLL_INTERVAL_MS }),
    openReader: () => SqliteEventStore.open({ path, pollIntervalMs: PEER_POLL_INTERVAL_MS, readOnly: true }),
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteEventStore', () => {
  let dir: string;
  let path: string;
  const opened: SqliteEventStore[] = [];
  const open = async (options: { pollIntervalMs?: number; maxBatch?: number } = {}): Promise<SqliteEventStore> => {
    const store = await SqliteEventStore.open({ path, ...options });
    opened.push(store);
    return store;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'verdict-es-sqlite-'));
    path = join(dir, 'events.db');
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  describe('schema', () => {
    it('is created on open, idempotently, with a schema version', async () => {
      const first = await open();
      await first.appendToStream('s', [newEvent()], { expectedRevision: 'no_stream' });
      const second = await open();
      expect(await second.readStream('s')).toHaveLength(1);
      const raw = new Database(path, { readonly: true });
      try {
        expect(raw.prepare('SELECT version FROM schema_version ORDER BY version').all()).toEqual(
          Array.from({ length: SQLITE_SCHEMA_VERSION }, (_, i) => ({ version: i + 1 })),
        );
        expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      } finally {
        raw.close();
      }
    });

    it('refuses a file written by a newer schema', async () => {
      await (await open()).close();
      const raw = new Database(path);
      raw.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(SQLITE_SCHEMA_VERSION + 1, 0);
      raw.close();
      await expect(SqliteEventStore.open({ path })).rejects.toBeInstanceOf(EventStoreUnavailableError);
    });

    it('reports a path it cannot open as unavailable', async () => {
      await expect(SqliteEventStore.open({ path: join(dir, 'missing-dir', 'events.db') })).rejects.toBeInstanceOf(
        EventStoreUnavailableError,
      );
    });
  });

  it('stores data and metadata as canonical JSON, so the stored text is what an event hash covers', async () => {
    const store = await open();
    const data = { z: [3, { y: 1, b: 2 }], a: 'é', '10': true, m: 1e21 };
    await store.appendToStream('canonical-1', [newEvent('T', data, { c: 1, a: 2 })], { expectedRevision: 'no_stream' });
    const [text] = await store.readAllText({ filter: { streamPrefixes: ['canonical-'] } });
    expect(text.dataJson).toBe('{"10":true,"a":"é","m":1e+21,"z":[3,{"b":2,"y":1}]}');
    expect(text.metadataJson).toBe('{"a":2,"c":1}');
    expect(text.canonical).toBe(true);
    const raw = new Database(path, { readonly: true });
    try {
      expect(raw.prepare("SELECT data FROM events WHERE stream_id = 'canonical-1'").get()).toEqual({ data: text.dataJson });
    } finally {
      raw.close();
    }
  });

  describe('input validation', () => {
    it('rejects malformed appends with InvalidAppendError before they join a batch', async () => {
      const store = await open();
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      const bad: Array<Promise<unknown>> = [
        store.appendToStream('', [newEvent()], { expectedRevision: 'any' }),
        store.appendToStream('s', [], { expectedRevision: 'any' }),
        store.appendToStream('s', [newEvent()], { expectedRevision: -1n }),
        store.appendToStream('s', [{ ...newEvent(), type: '' }], { expectedRevision: 'any' }),
        store.appendToStream('s', [newEvent('T', { n: 1n })], { expectedRevision: 'any' }),
        store.appendToStream('s', [newEvent('T', cyclic)], { expectedRevision: 'any' }),
        store.appendToStream('s', [{ ...newEvent(), data: [] as unknown as Record<string, unknown> }], { expectedRevision: 'any' }),
      ];
      const repeated = newEvent();
      bad.push(store.appendToStream('s', [repeated, repeated], { expectedRevision: 'any' }));
      const { ok, failed } = await settle(bad);
      expect(ok).toEqual([]);
      for (const e of failed) expect(e).toBeInstanceOf(InvalidAppendError);
      expect(store.stats().batches).toBe(0);
      expect(await store.readStream('s')).toEqual([]);
    });
  });

  describe('group commit', () => {
    it('commits appends that arrive together in one transaction', async () => {
      const store = await open({ maxBatch: 500 });
      const p = uniquePrefix('batch');
      const before = store.stats();
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) => store.appendToStream(`${p}-${i}`, [newEvent()], { expectedRevision: 'no_stream' })),
      );
      const after = store.stats();
      expect(results).toHaveLength(200);
      expect(after.batches - before.batches).toBe(1);
      expect(after.committedAppends - before.committedAppends).toBe(200);
      expect(after.largestBatch).toBe(200);
    });

    it('splits a burst into batches of at most maxBatch', async () => {
      const store = await open({ maxBatch: 50 });
      const p = uniquePrefix('bounded');
      await Promise.all(
        Array.from({ length: 200 }, (_, i) => store.appendToStream(`${p}-${i % 7}`, [newEvent()], { expectedRevision: 'any' })),
      );
      expect(store.stats().batches).toBe(4);
      expect(store.stats().largestBatch).toBe(50);
      expect(await store.readAll({ filter: { streamPrefixes: [p] } })).toHaveLength(200);
    });

    it('commits an appendBatch in one transaction even when it is larger than maxBatch', async () => {
      const store = await open({ maxBatch: 50 });
      const p = uniquePrefix('one-commit');
      const before = store.stats();
      const outcomes = await store.appendBatch(
        Array.from({ length: 300 }, (_, i) => ({ streamId: `${p}-${i}`, events: [newEvent()], options: { expectedRevision: 'no_stream' as const } })),
      );
      expect(outcomes.filter((o) => o instanceof Error)).toEqual([]);
      expect(store.stats().batches - before.batches).toBe(1);
      expect(store.stats().largestBatch).toBe(300);
    });

    it('rejects only the appends of a batch that fail their own check', async () => {
      const store = await open();
      const p = uniquePrefix('mixed');
      await store.appendToStream(`${p}-existing`, newEvents(2), { expectedRevision: 'no_stream' });
      const reused = newEvent();
      await store.appendToStream(`${p}-reused`, [reused], { expectedRevision: 'no_stream' });
      const batchesBefore = store.stats().batches;

      const good = Array.from({ length: 30 }, (_, i) =>
        store.appendToStream(`${p}-good-${i}`, newEvents(2), { expectedRevision: 'no_stream' }),
      );
      const stale = store.appendToStream(`${p}-existing`, [newEvent()], { expectedRevision: 0n });
      const duplicateId = store.appendToStream(`${p}-dup`, [newEvent(), reused], { expectedRevision: 'any' });
      const [goodResults, staleResult, dupResult] = await Promise.all([
        settle(good),
        settle([stale]),
        settle([duplicateId]),
      ]);

      expect(store.stats().batches - batchesBefore).toBe(1);
      expect(goodResults.failed).toEqual([]);
      expect(goodResults.ok).toHaveLength(30);
      expect(staleResult.failed[0]).toBeInstanceOf(WrongExpectedRevisionError);
      expect((staleResult.failed[0] as WrongExpectedRevisionError).actual).toBe(1n);
      expect(dupResult.failed[0]).toBeInstanceOf(InvalidAppendError);
      expect(await store.readStream(`${p}-dup`)).toEqual([]);
      expect(await store.readStream(`${p}-existing`)).toHaveLength(2);
      expect(await store.readStream(`${p}-good-29`)).toHaveLength(2);
    });

    it('rejects every caller of a batch whose COMMIT fails, and acknowledges nothing', async () => {
      const store = await open();
      // A deferred foreign key is only checked at COMMIT: appending to a poison-* stream makes COMMIT itself fail.
      const raw = new Database(path);
      raw.exec(`
        CREATE TABLE poison_parent (id TEXT PRIMARY KEY);
        CREATE TABLE poison_child (parent TEXT REFERENCES poison_parent (id) DEFERRABLE INITIALLY DEFERRED);
        CREATE TRIGGER poison AFTER INSERT ON events WHEN NEW.stream_id LIKE 'poison-%'
        BEGIN INSERT INTO poison_child VALUES ('missing'); END;`);
      raw.close();
      const head = await store.headPosition();
      const p = uniquePrefix('victim');
      const appends = [
        ...Array.from({ length: 9 }, (_, i) => store.appendToStream(`${p}-${i}`, [newEvent()], { expectedRevision: 'no_stream' })),
        store.appendToStream('poison-1', newEvents(2), { expectedRevision: 'any' }),
      ];
      const { ok, failed } = await settle(appends);

      expect(ok).toEqual([]);
      expect(failed).toHaveLength(10);
      for (const e of failed) {
        expect(e).toBeInstanceOf(EventStoreUnavailableError);
        expect(((e as Error).cause as { code?: string }).code).toBe('SQLITE_CONSTRAINT_FOREIGNKEY');
      }
      expect(await store.headPosition()).toBe(head);
      expect(await store.readAll({ filter: { streamPrefixes: [p, 'poison-'] } })).toEqual([]);
      expect(store.stats().failedCommits).toBe(1);

      // The store recovers: the next batch (without the poison stream) commits.
      await expect(store.appendToStream(`${p}-0`, [newEvent()], { expectedRevision: 'no_stream' })).resolves.toMatchObject({
        nextExpectedRevision: 0n,
      });
    });

    it('confines a statement failure inside the batch to its own append', async () => {
      const store = await open();
      const raw = new Database(path);
      raw.exec(`CREATE TRIGGER refuse BEFORE INSERT ON events WHEN NEW.stream_id = 'refused'
                BEGIN SELECT RAISE(ABORT, 'refused by trigger'); END;`);
      raw.close();
      const p = uniquePrefix('neighbour');
      const { ok, failed } = await settle([
        store.appendToStream(`${p}-a`, [newEvent()], { expectedRevision: 'no_stream' }),
        store.appendToStream('refused', [newEvent()], { expectedRevision: 'no_stream' }),
        store.appendToStream(`${p}-b`, [newEvent()], { expectedRevision: 'no_stream' }),
      ]);
      expect(ok).toHaveLength(2);
      expect(failed).toHaveLength(1);
      expect(failed[0]).toBeInstanceOf(EventStoreUnavailableError);
      expect(await store.readStream('refused')).toEqual([]);
      expect(await store.readAll({ filter: { streamPrefixes: [p] } })).toHaveLength(2);
    });

    it('commits appends accepted before close()', async () => {
      const store = await open();
      const p = uniquePrefix('closing');
      const pending = Array.from({ length: 20 }, (_, i) => store.appendToStream(`${p}-${i}`, [newEvent()], { expectedRevision: 'no_stream' }));
      await store.close();
      expect((await settle(pending)).ok).toHaveLength(20);
      const reopened = await open();
      expect(await reopened.readAll({ filter: { streamPrefixes: [p] } })).toHaveLength(20);
    });
  });

  describe('subscriptions', () => {
    it('a second instance on the same file sees appends through polling', async () => {
      const writer = await open();
      const reader = await open({ pollIntervalMs: 10 });
      const p = uniquePrefix('other-instance');
      const sub = reader.subscribeToAll({ filter: { streamPrefixes: [p] } });
      try {
        const first = take(sub, 3);
        const events = newEvents(3);
        for (const e of events) await writer.appendToStream(p, [e], { expectedRevision: 'any' });
        expect((await first).map((e) => e.id)).toEqual(events.map((e) => e.id));
      } finally {
        await sub.close();
      }
    });

    it('ends the iteration with the store error instead of swallowing it', async () => {
      const store = await open({ pollIntervalMs: 10 });
      const sub = store.subscribeToAll();
      const iterator = sub[Symbol.asyncIterator]();
      await store.appendToStream('s', [newEvent()], { expectedRevision: 'no_stream' });
      await iterator.next();
      const raw = new Database(path);
      raw.exec('DROP TABLE events');
      raw.close();
      await expect(iterator.next()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    });

    it('store.close() ends open subscriptions', async () => {
      const store = await SqliteEventStore.open({ path });
      const sub = store.subscribeToAll();
      const loop = (async () => {
        for await (const _ of sub) void _;
      })();
      expect(store.stats().openSubscriptions).toBe(1);
      await store.close();
      await loop;
    });
  });
});

import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSqliteEventStore } from '@verdict/event-store';
import { appendDecisions, sealAll, testSigner } from './testing/sealed-fixture';
import { tamperScenarios, type TamperTarget } from './testing/tamper-scenarios';
import { readSeals } from './seal-log';
import { verifyEventStore } from './verify-store';
import { WorkerRangeChecker } from './worker-range-checker';

/** Sealed periods on the SQLite event store, tampered with through a second connection to the file. */
describe('audit seals on SQLite: tampering is found and named', () => {
  tamperScenarios(async (): Promise<TamperTarget> => {
    const dir = mkdtempSync(path.join(tmpdir(), 'verdict-audit-'));
    const file = path.join(dir, 'events.sqlite');
    const store = await createSqliteEventStore({ path: file });
    const db = new Database(file);
    const run = async (sql: string, ...params: unknown[]) => void db.prepare(sql).run(...params);
    return {
      store,
      tamper: {
        updateData: (p) => run(`UPDATE events SET data = json_set(data, '$.amount', 1000000) WHERE position = ?`, p),
        deleteEvent: (p) => run('DELETE FROM events WHERE position = ?', p),
        insertForged: (p, streamId) =>
          run(
            `INSERT INTO events (position, event_id, stream_id, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, 0, 'DecisionMade', ?, '{}', ?)`,
            p,
            '99999999-0000-4000-8000-000000000001',
            streamId,
            JSON.stringify({ transactionId: 'forged', amount: 1 }),
            Date.now(),
          ),
        swapPositions: async (a, b) => {
          db.transaction(() => {
            db.prepare('UPDATE events SET position = -1 WHERE position = ?').run(a);
            db.prepare('UPDATE events SET position = ? WHERE position = ?').run(a, b);
            db.prepare('UPDATE events SET position = ? WHERE position = -1').run(b);
          })();
        },
        skipPositions: (n) => run(`UPDATE sqlite_sequence SET seq = seq + ? WHERE name = 'events'`, n),
        setSealField: (revision, field, json) => run(`UPDATE events SET data = json_set(data, ?, json(?)) WHERE stream_id = 'audit-seals' AND revision = ?`, `$.${field}`, json, revision),
        deleteSeal: (revision) => run(`DELETE FROM events WHERE stream_id = 'audit-seals' AND revision = ?`, revision),
      },
      close: async () => {
        db.close();
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  });
});

describe('audit verification on worker threads', () => {
  it('finds exactly what the single-threaded verification finds', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'verdict-audit-threads-'));
    const file = path.join(dir, 'events.sqlite');
    const store = await createSqliteEventStore({ path: file });
    const checker = new WorkerRangeChecker({ kind: 'sqlite', url: file }, 2);
    try {
      await appendDecisions(store, 1, 40);
      await sealAll(store, testSigner(), 6);
      const db = new Database(file);
      db.prepare(`UPDATE events SET data = json_set(data, '$.amount', 0) WHERE stream_id IN ('decision-f-3', 'decision-f-33')`).run();
      db.close();
      const inline = await verifyEventStore(store);
      const threaded = await verifyEventStore(store, { checker, concurrency: 4 });
      expect(inline.findings.map((f) => f.kind)).toEqual(['altered', 'altered']);
      expect(threaded.findings).toEqual(inline.findings);
      expect(threaded.eventsChecked).toBe(inline.eventsChecked);
    } finally {
      await checker.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('audit verification of text that is not canonical', () => {
  it('verifies clean when events mean the same in another key order (stores written before canonical storage)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'verdict-audit-order-'));
    const file = path.join(dir, 'events.sqlite');
    const store = await createSqliteEventStore({ path: file });
    try {
      await appendDecisions(store, 1, 30);
      await sealAll(store, testSigner(), 10);
      const db = new Database(file);
      const reversed = (v: unknown): unknown =>
        Array.isArray(v) ? v.map(reversed) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)])) : v;
      const rows = db.prepare(`SELECT position, data FROM events WHERE stream_id LIKE 'decision-%'`).all() as { position: number; data: string }[];
      for (const r of rows) db.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify(reversed(JSON.parse(r.data))), r.position);
      db.prepare(`UPDATE events SET data = json_set(data, '$.amount', 7) WHERE stream_id = 'decision-f-12'`).run();
      db.close();
      const report = await verifyEventStore(store);
      expect(rows.length).toBe(30);
      expect(report.findings.map((f) => [f.kind, 'stream' in f ? f.stream : null])).toEqual([['altered', 'decision-f-12']]);
      expect(report.eventsChecked).toBeGreaterThanOrEqual(30);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('audit verification of rows that no longer parse', () => {
  let dir: string;
  let file: string;
  let store: Awaited<ReturnType<typeof createSqliteEventStore>>;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'verdict-audit-unparseable-'));
    file = path.join(dir, 'events.sqlite');
    store = await createSqliteEventStore({ path: file });
    await appendDecisions(store, 1, 14);
    await sealAll(store, testSigner(), 5);
    await appendDecisions(store, 15, 1); // not sealed
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const write = (sql: string, ...params: unknown[]): void => {
    const db = new Database(file);
    db.prepare(sql).run(...params);
    db.close();
  };
  const positionOf = async (streamId: string): Promise<string> => (await store.readStream(streamId))[0].position.toString();

  it('names a sealed event whose data or metadata is not JSON as altered, with every other finding, on any thread', async () => {
    const [f4, f6, f11] = [await positionOf('decision-f-4'), await positionOf('decision-f-6'), await positionOf('decision-f-11')];
    const { unsealedEvents } = await verifyEventStore(store);
    write(`UPDATE events SET data = '{not json' WHERE stream_id = 'decision-f-4'`);
    write(`UPDATE events SET metadata = '{not json' WHERE stream_id = 'decision-f-6'`);
    write(`UPDATE events SET data = json_set(data, '$.amount', 0) WHERE stream_id = 'decision-f-11'`);
    write(`UPDATE events SET data = '{not json' WHERE stream_id = 'decision-f-15'`); // unsealed: only counted
    const checker = new WorkerRangeChecker({ kind: 'sqlite', url: file }, 1);
    try {
      for (const report of [await verifyEventStore(store), await verifyEventStore(store, { checker, concurrency: 2 })]) {
        expect(report.findings).toEqual([
          expect.objectContaining({ kind: 'altered', position: f4, stream: 'decision-f-4', detail: expect.stringMatching(/cannot be read \(its data is not JSON/) }),
          expect.objectContaining({ kind: 'altered', position: f6, stream: 'decision-f-6', detail: expect.stringMatching(/its metadata is not JSON/) }),
          expect.objectContaining({ kind: 'altered', position: f11, stream: 'decision-f-11' }),
        ]);
        expect(report.unsealedEvents).toBe(unsealedEvents);
      }
    } finally {
      await checker.close();
    }
  });

  it('reports a seal event that is not JSON as a malformed seal, and reads the seals after it', async () => {
    const before = await readSeals(store);
    expect(before.length).toBeGreaterThanOrEqual(3);
    write(`UPDATE events SET data = '{not json' WHERE stream_id = 'audit-seals' AND revision = 1`);
    const seals = await readSeals(store);
    expect(seals.map((s) => [s.revision, s.ok])).toEqual(before.map((s, i) => [s.revision, i !== 1]));
    const report = await verifyEventStore(store);
    expect(report.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'malformed-seal', seal: 1, detail: expect.stringMatching(/position \d+\): the seal event cannot be read: its data is not JSON/) }),
        expect.objectContaining({ kind: 'chain-broken', seal: 2 }),
      ]),
    );
    expect(report.seals).toBe(before.length);

    write(`UPDATE events SET data = ?, metadata = '{not json' WHERE stream_id = 'audit-seals' AND revision = 1`, JSON.stringify({ index: 1 }));
    expect((await verifyEventStore(store)).findings).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'malformed-seal', seal: 1, detail: expect.stringMatching(/its metadata is not JSON/) })]));
  });
});

import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { SAFE_ID } from '@verdict/domain';
import type { SqliteEventStore } from '@verdict/event-store';
import { SealerThread } from '../../apps/engine/src/audit/sealer-thread';
import { HistoryFeed } from '../../apps/engine/src/history/history-feed';
import { decisionRequest, startEngine, type JsonResponse, type RunningEngine } from '../support/engine-harness';

/**
 * Supervised components heal without a process restart (docs: Operating it). Faults are real: the SQLite writer
 * thread is ended through the store's one fault-injection seam (terminateWriterThread, as a crash would end it), a
 * read-model table is taken away under the projection and given back, a database directory is moved away.
 */

interface Live {
  status: string;
  components: Record<string, { state: string; restarts: number; attempts: number; lastError?: string }>;
}

const nextTurn = (): Promise<void> => new Promise((done) => setImmediate(done));

async function live(engine: RunningEngine): Promise<{ code: number; body: Live }> {
  const res = await engine.get('/health/live');
  return { code: res.status, body: (await res.json()) as Live };
}

/** Polls liveness until `done` holds (bounded by the test's timeout). */
async function liveUntil(engine: RunningEngine, done: (l: { code: number; body: Live }) => boolean): Promise<{ code: number; body: Live }> {
  for (;;) {
    const l = await live(engine);
    if (done(l)) return l;
    await delay(10);
  }
}

const metricLine = async (engine: RunningEngine, prefix: string): Promise<string | undefined> =>
  (await (await engine.get('/metrics')).text()).split('\n').find((line) => line.startsWith(prefix));

describe('self-healing engine (SQLite)', () => {
  let engine: RunningEngine;
  beforeAll(async () => {
    engine = await startEngine();
  });
  afterAll(() => engine.stop());

  it('kills the writer thread under concurrent decisions: in-flight ones answer 503 append-outcome-unknown, a retry answers what was recorded, the writer is back', async () => {
    const store = engine.store as SqliteEventStore;
    const sent: { body: Record<string, unknown>; answer: Promise<JsonResponse> }[] = [];
    const pending = new Set<Promise<JsonResponse>>();
    // Decisions keep coming until a batch is with the writer thread; the kill lands then, on this same event loop.
    for (;;) {
      const { batches, commits, failedCommits } = store.stats();
      if (batches > commits + failedCommits) break;
      if (pending.size === 0) {
        for (let i = 0; i < 8; i++) {
          const body = decisionRequest({ cardId: 'card-healing-1' });
          const answer = engine.post('/v1/decisions', body);
          pending.add(answer);
          void answer.finally(() => pending.delete(answer));
          sent.push({ body, answer });
        }
      }
      await nextTurn();
    }
    await store.terminateWriterThread();
    const answers = await Promise.all(sent.map(async (s) => ({ ...s, res: await s.answer, json: await (await s.answer).json() })));

    const unknown = answers.filter((a) => a.json.type === '/problems/append-outcome-unknown');
    expect(unknown.length).toBeGreaterThan(0);
    for (const a of unknown) {
      expect(a.res.status).toBe(503);
      expect(a.res.headers.get('content-type')).toContain('application/problem+json');
      expect(a.json.detail).toMatch(/may or may not have been recorded.*same body is safe/);
      // It may be recorded under the id made up for it (none was sent): the answer names that id.
      expect(a.res.headers.get('x-correlation-id')).toMatch(SAFE_ID);
    }
    for (const a of answers) expect([201, 503]).toContain(a.res.status);

    const back = await liveUntil(engine, (l) => l.body.components['sqlite-writer']?.state === 'up');
    expect(back.code).toBe(200);
    expect(back.body.components['sqlite-writer']).toMatchObject({ state: 'up', restarts: 1 });

    // Every refused decision, retried with the same body: what was recorded (200, replayed) or recorded now (201).
    for (const a of answers.filter((x) => x.res.status === 503)) {
      const retry = await engine.post('/v1/decisions', a.body);
      expect([200, 201]).toContain(retry.status);
      const decision = await retry.json();
      expect(decision.transactionId).toBe(a.body.transactionId);
      expect(retry.headers.get('idempotent-replayed')).toBe(retry.status === 200 ? 'true' : 'false');
      // What was recorded is answered under the id the 503 named.
      if (retry.status === 200) expect(retry.headers.get('x-correlation-id')).toBe(a.res.headers.get('x-correlation-id'));
      const again = await engine.post('/v1/decisions', a.body);
      expect(again.status).toBe(200);
      expect((await again.json()).decisionId).toBe(decision.decisionId);
    }
    // Everything acknowledged is in the log, once.
    for (const a of answers) {
      expect(await engine.store.readStream(`decision-${a.body.transactionId}`)).toHaveLength(1);
    }
    expect((await engine.post('/v1/decisions', decisionRequest())).status).toBe(201);
    expect(await metricLine(engine, 'verdict_component_restarts_total{component="sqlite-writer"}')).toBe('verdict_component_restarts_total{component="sqlite-writer"} 1');
    expect(await metricLine(engine, 'verdict_component_state{component="sqlite-writer",state="up"}')).toMatch(/ 1$/);
  });

  it('a projection that fails on a read-model error is restarted and converges: every decision in the read model exactly once', async () => {
    const card = `card-projection-${Date.now()}`;
    const first = await (await engine.post('/v1/decisions', decisionRequest({ cardId: card }))).json();
    await engine.caughtUp(first.position);
    const readModels = new Database(path.join(engine.dataDir, 'read-models.sqlite'));
    try {
      readModels.exec('ALTER TABLE decision_history RENAME TO decision_history_away');
      const later = [];
      for (let i = 0; i < 3; i++) later.push(await (await engine.post('/v1/decisions', decisionRequest({ cardId: card }))).json());

      const restarting = await liveUntil(engine, (l) => l.body.components.projections?.lastError !== undefined);
      expect(restarting.code).toBe(200); // a component being restarted keeps the process live
      expect(restarting.body.components.projections?.lastError).toMatch(/decision_history/);
      readModels.exec('ALTER TABLE decision_history_away RENAME TO decision_history');

      const head = later[later.length - 1].position as number;
      for (;;) {
        const up = (await live(engine)).body.components.projections?.state === 'up';
        if (up && (await engine.caughtUp(head).then(() => true, () => false))) break;
        await delay(20);
      }
      const page = await (await engine.get(`/v1/decisions?cardId=${card}`)).json();
      expect(page.items.map((d: { decisionId: string }) => d.decisionId).sort()).toEqual([first, ...later].map((d) => d.decisionId).sort());
      const restarts = Number((await metricLine(engine, 'verdict_component_restarts_total{component="projections"}'))?.split(' ')[1]);
      expect(restarts).toBeGreaterThanOrEqual(1);
      expect((await engine.get('/health/ready')).status).toBe(200);
    } finally {
      readModels.close();
    }
  });
});

describe('self-healing engine: the history and audit sealer threads', () => {
  let engine: RunningEngine;
  beforeAll(async () => {
    engine = await startEngine({ VERDICT_SEAL_INTERVAL_SECONDS: '0.2' });
  });
  afterAll(() => engine.stop());

  const cardCount24h = async (transactionId: unknown): Promise<number> => {
    const record = await (await engine.get(`/v1/transactions/${String(transactionId)}/decision`)).json();
    const { names, values } = record.features as { names: string[]; values: number[] };
    return values[names.indexOf('card_count_24h')] as number;
  };

  it('a killed history thread is restarted and rebuilds its state from the log: history features go on counting', async () => {
    const card = `card-history-${Date.now()}`;
    const decide = (minute: number) => engine.post('/v1/decisions', decisionRequest({ cardId: card, occurredAt: `2026-11-20T14:0${minute}:00Z` }));
    const before = [];
    for (let m = 0; m < 3; m++) before.push(await (await decide(m)).json());
    const counted = await cardCount24h(before[2].transactionId);
    expect(counted).toBe(2);

    await engine.resolve(HistoryFeed).terminateThread();
    const back = await liveUntil(engine, (l) => l.body.components.history?.state === 'up');
    expect(back.body.components.history).toMatchObject({ state: 'up', restarts: 1 });
    while ((await engine.get('/health/ready')).status !== 200) await delay(20); // the new thread has caught up with the log

    const after = await (await decide(3)).json();
    expect(await cardCount24h(after.transactionId)).toBe(counted + 1);
  });

  it('a killed sealer thread is restarted and goes on sealing from the last seal', async () => {
    await (engine.resolve(SealerThread) as SealerThread).terminateThread();
    const back = await liveUntil(engine, (l) => l.body.components['audit-sealer']?.state === 'up');
    expect(back.body.components['audit-sealer']).toMatchObject({ state: 'up', restarts: 1 });

    const decided = await (await engine.post('/v1/decisions', decisionRequest())).json();
    let proof: JsonResponse;
    while ((proof = await engine.get(`/v1/decisions/${decided.decisionId}/proof`)).status !== 200) await delay(50);
    expect(await proof.json()).toMatchObject({ event: { type: 'DecisionMade', position: String(decided.position) } });
    expect(await metricLine(engine, 'verdict_component_restarts_total{component="audit-sealer"}')).toBe('verdict_component_restarts_total{component="audit-sealer"} 1');
  });
});

describe('self-healing engine: a component that cannot come back', () => {
  let engine: RunningEngine;
  let eventsDir: string;
  beforeAll(async () => {
    eventsDir = mkdtempSync(path.join(tmpdir(), 'verdict-e2e-events-'));
    mkdirSync(path.join(eventsDir, 'live'));
    engine = await startEngine({ VERDICT_EVENT_STORE_URL: path.join(eventsDir, 'live', 'events.sqlite') });
  });
  afterAll(async () => {
    await engine.stop();
    rmSync(eventsDir, { recursive: true, force: true });
  });

  it('fails liveness (503, the component and why) once the writer thread cannot reopen its database after its attempts', async () => {
    expect((await live(engine)).code).toBe(200);
    // The database's directory goes away: open connections keep working, a new writer thread cannot open the file.
    renameSync(path.join(eventsDir, 'live'), path.join(eventsDir, 'moved'));
    await (engine.store as SqliteEventStore).terminateWriterThread();

    const failed = await liveUntil(engine, (l) => l.code !== 200);
    expect(failed.code).toBe(503);
    expect(failed.body).toMatchObject({ status: 'error', components: { 'sqlite-writer': { state: 'failed', restarts: 0, attempts: 6 } } });
    expect(failed.body.components['sqlite-writer']?.lastError).toMatch(/Cannot start the SQLite writer for .*directory does not exist/);
    expect(failed.body.components.projections).toMatchObject({ state: 'up' });

    const refused = await engine.post('/v1/decisions', decisionRequest());
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({ type: '/problems/event-store-unavailable' });
    expect((await engine.get('/health/ready')).status).toBe(503);
    expect(await metricLine(engine, 'verdict_component_state{component="sqlite-writer",state="failed"}')).toMatch(/ 1$/);
  });
});

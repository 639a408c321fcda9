import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import { FakeEsdbServer } from '../../libs/event-store/src/esdb/testing/fake-esdb-server';
import { decisionRequest, startEngine, type RunningEngine } from '../support/engine-harness';
import { postgresAvailable, randomSchema, TEST_PG_URL } from '../support/service-probe';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * The docker-compose shape without Docker: the decision log in EventStoreDB (here the wire-compatible test server),
 * read models in PostgreSQL, the engine with VERDICT_PROJECTIONS=off, and apps/projector as its own process.
 */
const pg = postgresAvailable('production topology');
(pg ? describe : describe.skip)('production topology: EventStoreDB + PostgreSQL, engine and projector as separate processes', () => {
  const schema = randomSchema('verdict_prod_rm');
  const esdb = new FakeEsdbServer();
  let env: Record<string, string>;
  let engine: RunningEngine;
  let projector: ChildProcess;
  let projectorExit: Promise<number | null>;
  let projectorOut = '';

  beforeAll(async () => {
    const { connectionString } = await esdb.start();
    env = {
      VERDICT_EVENT_STORE: 'esdb',
      VERDICT_EVENT_STORE_URL: connectionString,
      VERDICT_READ_MODELS: 'postgres',
      VERDICT_READ_MODELS_URL: TEST_PG_URL,
      VERDICT_READ_MODELS_SCHEMA: schema,
      VERDICT_PROJECTIONS: 'off',
    };
    engine = await startEngine(env);
    projector = spawn(process.execPath, ['-r', path.join(ROOT, 'test/support/ts-register.js'), path.join(ROOT, 'apps/projector/src/main.ts')], {
      cwd: ROOT,
      env: { ...process.env, ...env, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    // Kept for the stop's check below, and shown as it comes: a failure earlier in the test needs the projector's lines.
    projector.stdout!.setEncoding('utf8').on('data', (text: string) => {
      projectorOut += text;
      process.stdout.write(text);
    });
    // 'close', not 'exit': by then its output has been read to the end.
    projectorExit = new Promise((resolve) => projector.once('close', (code) => resolve(code)));
  });

  afterAll(async () => {
    if (projector && projector.exitCode === null) projector.kill('SIGKILL');
    await engine?.stop();
    await esdb.stop();
    const admin = new Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  async function listByCard(cardId: string): Promise<{ decisionId: string }[]> {
    const page = await (await engine.get(`/v1/decisions?cardId=${cardId}&limit=500`)).json();
    return page.items;
  }

  it('decides in the engine, projects in the projector, and answers queries from PostgreSQL', async () => {
    const cardId = `card-prod-${Date.now()}`;
    const made: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await engine.post('/v1/decisions', decisionRequest({ cardId, amount: 5 + i }));
      expect(res.status).toBe(201);
      made.push((await res.json()).decisionId);
    }
    const ready = await (await engine.get('/health/ready')).json();
    expect(ready.checks).toMatchObject({ eventStore: { status: 'up', kind: 'esdb' }, projections: { mode: 'off' } });

    // The projector (another process) catches up from the log; the engine's read API sees its rows.
    let items: { decisionId: string }[] = [];
    for (let attempt = 0; attempt < 300 && items.length < made.length; attempt++) {
      items = await listByCard(cardId);
      if (items.length < made.length) await new Promise((r) => setTimeout(r, 100));
    }
    expect(items.map((i) => i.decisionId)).toEqual([...made].reverse());

    const audit = await engine.get(`/v1/decisions/${made[0]}`);
    expect(audit.status).toBe(200);
    expect(await audit.json()).toMatchObject({ decisionId: made[0], stream: expect.stringMatching(/^decision-/) });

    projector.kill('SIGTERM');
    expect(await projectorExit).toBe(0);
    // A bounded stop (boundShutdown), its last line written before the exit.
    const logged = projectorOut.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const stop = ['stopping: committing the batches in flight, then closing the stores', 'projector stopped', 'stopped'];
    expect(logged.map((l) => l.msg).filter((m) => stop.includes(m as string))).toEqual(stop);
    expect(logged.at(-1)).toMatchObject({ signal: 'SIGTERM', code: 0, ms: expect.any(Number) });
  });
});

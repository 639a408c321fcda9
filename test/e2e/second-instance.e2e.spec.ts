import { decisionRequest, startEngine, type RunningEngine } from '../support/engine-harness';
import { startEngineProcess, type EngineProcess } from '../support/engine-process';
import { change, demoModelBytes, register } from '../support/model-fixtures';
import { postgresAvailable, randomSchema } from '../support/service-probe';
import { dropSchemas, postgresEnv } from '../support/topologies';

/**
 * Two engine processes on one PostgreSQL store (events, read models and model artifacts): a deployment change
 * answered by one is in force on the other within 1 s, through its subscription to the deployment stream.
 */
const pg = postgresAvailable('second engine instance');
(pg ? describe : describe.skip)('a second engine instance follows deployment changes', () => {
  const schemas = { es: randomSchema('verdict_two_es'), rm: randomSchema('verdict_two_rm'), art: randomSchema('verdict_two_art') };
  const env = postgresEnv(schemas);
  let a: RunningEngine;
  let b: EngineProcess;

  beforeAll(async () => {
    a = await startEngine(env);
    // The second instance: its own process, and no inline projections (one projector per read model).
    b = await startEngineProcess({ ...env, VERDICT_PROJECTIONS: 'off', VERDICT_DATA_DIR: `${a.dataDir}-b` });
    expect((await register(a, 'fraud-demo', '2', demoModelBytes(), { description: 'v2' })).status).toBe(201);
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    await dropSchemas(...Object.values(schemas));
  });

  // b shares a's store: the keys a's start created are b's too.
  const bAuth = () => ({ authorization: `Bearer ${a.adminKey}` });
  const stateOf = async (url: string): Promise<{ revision: number; champion: { version: string } }> => (await fetch(`${url}/v1/deployment`, { headers: bAuth() })).json() as Promise<{ revision: number; champion: { version: string } }>;

  it('applies a change made on the other instance (it polls every 200 ms), and decides with it', async () => {
    const bootstrapped = await stateOf(b.url);
    expect(bootstrapped.revision).toBe(1); // both started on one fresh store: exactly one bootstrap
    for (let round = 0; round < 3; round++) {
      const version = round % 2 === 0 ? '2' : '1.0.0';
      const changed = await change(a, 'PUT', '/champion', { model: 'fraud-demo', version, reason: `round ${round}` });
      const started = Date.now();
      let seen;
      // Not a timed assertion: the change must come into force, its model loaded, however busy the machine is.
      do {
        seen = await stateOf(b.url);
        if (seen.revision >= changed.revision) break;
        await new Promise((r) => setTimeout(r, 20));
      } while (Date.now() - started < 30_000);
      expect(seen).toMatchObject({ revision: changed.revision, champion: { version } });
      const res = await fetch(`${b.url}/v1/decisions`, { method: 'POST', headers: { 'content-type': 'application/json', ...bAuth() }, body: JSON.stringify(decisionRequest()) });
      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({ model: { version }, deployment: { revision: changed.revision } });
    }
  }, 120_000);

  it('serves the registry written by the other instance (artifacts in PostgreSQL)', async () => {
    const res = await fetch(`${b.url}/v1/models/fraud-demo/versions/2/artifact`, { headers: bAuth() });
    expect(res.status).toBe(200);
    expect(Buffer.compare(Buffer.from(await res.arrayBuffer()), demoModelBytes())).toBe(0);
  });
});

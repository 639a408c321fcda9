import { ModelLoader } from '../../apps/engine/src/deployment/model-loader';
import { decisionRequest, startEngine, type RunningEngine } from '../support/engine-harness';
import { change, demoModelBytes, register } from '../support/model-fixtures';

const FLIPS = 20;
const CLIENTS = 12;

/**
 * Hot swaps under steady load: the champion flips between two versions 20 times while clients keep deciding. No
 * request may fail, and every decision must record the model and deployment revision that were in force when it
 * was scored. Both versions have their own session (different manifests), so each flip really loads, warms,
 * switches and later closes a session.
 */
describe('hot swap of the champion under load', () => {
  let engine: RunningEngine;

  beforeAll(async () => {
    engine = await startEngine();
    expect((await register(engine, 'fraud-demo', 'blue', demoModelBytes(), { description: 'blue' })).status).toBe(201);
    expect((await register(engine, 'fraud-demo', 'green', demoModelBytes(), { description: 'green', policy: { version: 'green-1', reviewThreshold: 0.05, declineThreshold: 0.5 } })).status).toBe(201);
  });
  afterAll(async () => engine?.stop());

  it(`flips ${FLIPS} times: no request fails, each decision names what was in force`, async () => {
    const modelAt = new Map<number, string>();
    const initial = await (await engine.get('/v1/deployment')).json();
    modelAt.set(initial.revision, initial.champion.version);

    let running = true;
    const results: { status: number; body: { model: { version: string }; policy: { version: string }; deployment: { revision: number } } }[] = [];
    const client = async (): Promise<void> => {
      while (running) {
        const res = await engine.post('/v1/decisions', decisionRequest());
        results.push({ status: res.status, body: await res.json() });
      }
    };
    const clients = Array.from({ length: CLIENTS }, () => client());
    for (let i = 0; i < FLIPS; i++) {
      const version = i % 2 === 0 ? 'green' : 'blue';
      const state = await change(engine, 'PUT', '/champion', { model: 'fraud-demo', version, reason: `flip ${i}` });
      modelAt.set(state.revision, version);
      await new Promise((r) => setTimeout(r, 50));
    }
    running = false;
    await Promise.all(clients);

    expect(results.length).toBeGreaterThan(FLIPS * 5);
    expect(results.filter((r) => r.status !== 201)).toEqual([]);
    const mismatched = results.filter((r) => modelAt.get(r.body.deployment.revision) !== r.body.model.version);
    expect(mismatched).toEqual([]);
    const revisions = new Set(results.map((r) => r.body.deployment.revision));
    expect(revisions.size).toBeGreaterThan(FLIPS / 2); // decisions were made across many of the flips
    for (const r of results) if (r.body.model.version === 'green') expect(r.body.policy.version).toBe('green-1');

    // Old sessions were closed once drained: only what the current table holds (champion + standby) stays open.
    const loader = engine.resolve(ModelLoader);
    for (const deadline = Date.now() + 10_000; loader.openSessions() > 2 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 20));
    expect(loader.openSessions()).toBeLessThanOrEqual(2);
  });
});

import { decisionRequest, startEngine, type RunningEngine } from '../support/engine-harness';
import { buildPassThroughTestModel } from '@verdict/model-runtime/testing/build-test-model';
import { bootstrapModelBytes, bootstrapPolicy, change, register } from '../support/model-fixtures';

/** Keeps decisions flowing over many cards until stopped, so every analysis window has traffic on both arms. */
function steadyLoad(engine: RunningEngine, clients = 4, overrides: Record<string, unknown> = {}): { stop: () => Promise<number[]> } {
  let running = true;
  const statuses: number[] = [];
  let n = 0;
  const loops = Array.from({ length: clients }, async () => {
    while (running) {
      const res = await engine.post('/v1/decisions', decisionRequest({ cardId: `analysis-card-${n++ % 500}`, ...overrides }));
      statuses.push(res.status);
      await res.arrayBuffer();
    }
  });
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return statuses;
    },
  };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const history = async (engine: RunningEngine) => {
  await engine.caughtUp(Number(await engine.store.headPosition())); // the history is a read model
  return (await (await engine.get('/v1/deployment/history?limit=500')).json()).items as { type: string; actor: string; automatic: boolean; event: Record<string, unknown>; at: string }[];
};

describe('automatic canary analysis', () => {
  let engine: RunningEngine;

  beforeAll(async () => {
    engine = await startEngine();
    expect((await register(engine, 'fraud-demo', 'same', bootstrapModelBytes(), { description: 'the champion again', policy: bootstrapPolicy() })).status).toBe(201);
  });
  afterAll(async () => engine?.stop());
  // A failed wait must not leave the load running into the next test or the engine's stop.
  afterEach(async () => load?.stop());
  let load: ReturnType<typeof steadyLoad> | undefined;

  it('rolls back a challenger that declines everything within intervalSeconds × threshold (+ one interval), with the figures', async () => {
    const intervalSeconds = 2;
    const threshold = 2;
    load = steadyLoad(engine);
    const deployed = await change(engine, 'PUT', '/challenger', {
      model: 'fraud-demo',
      version: 'same',
      mode: 'canary',
      policy: { version: 'decline-everything', reviewThreshold: 0, declineThreshold: 0 },
      analysis: { intervalSeconds, threshold, stepPercent: 50, maxPercent: 50, autoPromote: false, metrics: { maxDeclineRateDelta: 0.2, minDecisions: 5 } },
      reason: 'a bad policy, on purpose',
    });
    await waitFor('the automatic rollback', async () => ((await (await engine.get('/v1/deployment')).json()).challenger === null ? true : undefined), 30_000);
    const statuses = await load.stop();
    expect(statuses.filter((s) => s !== 201)).toEqual([]);

    // When, by the engine's own clock: the window that made `threshold` failures closed, plus its grace, not later.
    const changes = await history(engine);
    const [event] = changes.filter((e) => e.type === 'ChallengerRolledBack');
    const [deployedChange] = changes.filter((e) => e.type === 'ChallengerDeployed');
    expect(Date.parse(event.at) - Date.parse(deployedChange.at)).toBeLessThanOrEqual((intervalSeconds * threshold + intervalSeconds) * 1000);
    expect(event).toMatchObject({ actor: 'canary-analysis', automatic: true });
    const evidence = event.event.evidence as { failedChecks: number; threshold: number; checks: { passed: boolean; judged: boolean; challenger: { declineRate: number; decisions: number }; champion: { declineRate: number }; declineRateDelta: number; failures: string[] }[] };
    expect(evidence).toMatchObject({ failedChecks: threshold, threshold });
    const failed = evidence.checks.filter((c) => c.judged && !c.passed);
    expect(failed).toHaveLength(threshold);
    for (const c of failed) {
      expect(c.challenger.declineRate).toBe(1);
      expect(c.challenger.decisions).toBeGreaterThanOrEqual(5);
      expect(c.declineRateDelta).toBeGreaterThan(0.2);
      expect(c.failures.join(' ')).toMatch(/^declineRateDelta /);
    }
    expect((deployed.challenger as { deploymentId: string }).deploymentId).toBe(event.event.deploymentId);
    // The operator who deployed is in that change's metadata; the engine's own rollback carries no caller.
    const events = await engine.store.readStream('deployment-decisions');
    const deployedEvent = events.filter((e) => e.type === 'ChallengerDeployed').at(-1);
    const rolledBackEvent = events.filter((e) => e.type === 'ChallengerRolledBack').at(-1);
    expect(deployedEvent?.metadata.caller).toMatchObject({ client: 'admin' });
    expect(rolledBackEvent?.metadata).toMatchObject({ actor: 'canary-analysis' });
    expect(rolledBackEvent?.metadata.caller).toBeUndefined();
  });

  it('steps a healthy challenger up and promotes it when autoPromote is set', async () => {
    load = steadyLoad(engine);
    await change(engine, 'PUT', '/challenger', {
      model: 'fraud-demo',
      version: 'same',
      mode: 'canary',
      analysis: { intervalSeconds: 1, threshold: 3, stepPercent: 40, maxPercent: 100, autoPromote: true, metrics: { maxDeclineRateDelta: 0.2, maxScorePsi: 1, maxErrorRate: 0, minDecisions: 5 } },
      reason: 'a good one',
    });
    await waitFor('the automatic promotion', async () => ((await (await engine.get('/v1/deployment')).json()).champion.version === 'same' ? true : undefined), 15_000);
    await load.stop();
    // 40% → 80%; the step that would reach 100% promotes, since the champion arm would get nothing to be judged on.
    const changes = (await history(engine)).filter((e) => e.actor === 'canary-analysis' && e.type !== 'ChallengerRolledBack');
    expect(changes.map((e) => e.type).reverse()).toEqual(['CanaryTrafficChanged', 'ChallengerPromoted']);
    expect(changes[1].event).toMatchObject({ trafficPercent: 80 });
    expect(changes.every((e) => e.automatic)).toBe(true);
  });

  it('rolls back a challenger whose every run fails, however its other checks are configured', async () => {
    // Its score is attributes.risk, and 1e300 is Infinity in float32: every run of it fails, and the champion decides.
    expect((await register(engine, 'pass-through', '1', buildPassThroughTestModel('attributes.risk'), { policy: bootstrapPolicy() })).status).toBe(201);
    const champion = (await (await engine.get('/v1/deployment')).json()).champion;
    load = steadyLoad(engine, 4, { attributes: { risk: 1e300 } });
    const deployed = await change(engine, 'PUT', '/challenger', {
      model: 'pass-through',
      version: '1',
      mode: 'canary',
      trafficPercent: 20,
      routingKey: 'transactionId',
      // The QA report's analysis: no maxErrorRate, and only checks whose figures need challenger decisions.
      analysis: { intervalSeconds: 1, threshold: 1, stepPercent: 20, maxPercent: 40, autoPromote: true, metrics: { maxScorePsi: 0.2, maxDeclineRateDelta: 0.1, minDecisions: 3 } },
      reason: 'a challenger that cannot score',
    });
    const deploymentId = (deployed.challenger as { deploymentId: string }).deploymentId;
    await waitFor('the challenger to go', async () => ((await (await engine.get('/v1/deployment')).json()).challenger === null ? true : undefined), 15_000);
    const statuses = await load.stop();
    expect(statuses.filter((s) => s !== 201)).toEqual([]); // its failures never fail a decision

    expect((await (await engine.get('/v1/deployment')).json()).champion).toEqual(champion);
    // No step, no promotion: the one change the analysis made to it is its rollback, at its first judged window.
    const made = (await history(engine)).filter((e) => e.event.deploymentId === deploymentId);
    expect(made.map((e) => e.type)).toEqual(['ChallengerRolledBack']);
    const [last] = made;
    expect(last).toMatchObject({ actor: 'canary-analysis', automatic: true });
    const failed = (last.event.evidence as { checks: { judged: boolean; passed: boolean; challenger: { decisions: number; errors: number }; failures: string[] }[] }).checks.filter((c) => c.judged);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ passed: false, challenger: { decisions: 0, errorRate: 1 }, failures: ['errorRate 1 > 0'] });
    expect(failed[0].challenger.errors).toBeGreaterThanOrEqual(3);
  });
});

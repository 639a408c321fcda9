import { DECISION_MADE } from '@verdict/domain';
import { HotPathWarmup } from '../../apps/engine/src/decisions/hot-path-warmup';
import { decisionRequest, startEngine, type RunningEngine } from '../support/engine-harness';

/**
 * The engine runs simulated decisions through its decision path before it listens (VERDICT_WARMUP_DECISIONS, 1000 by
 * default), on the real model: none of them may reach the log, a metric or an answer.
 */
describe('warming the decision path before the engine listens (SQLite)', () => {
  let engine: RunningEngine;

  beforeAll(async () => {
    engine = await startEngine();
  });
  afterAll(async () => {
    await engine?.stop();
  });

  const decisionsInLog = async () => (await engine.store.readAll({ maxCount: 10_000, filter: { eventTypePrefixes: [DECISION_MADE] } })).length;
  const decisionsCounted = async () => {
    const text = await (await engine.get('/metrics')).text();
    return [...text.matchAll(/^verdict_decisions_total\{[^}]*\} (\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
  };

  it('warmed with the configured number of decisions, and wrote none of them', async () => {
    expect(engine.config.warmupDecisions).toBe(1000);
    expect(await decisionsInLog()).toBe(0);
    expect(await decisionsCounted()).toBe(0);
  });

  it('runs single commands and batches through the real model without recording them, however often', async () => {
    const warmup = engine.resolve(HotPathWarmup);
    await expect(warmup.run(0)).resolves.toEqual({ decisions: 0, ms: 0 });
    const report = await warmup.run(137);
    expect(report.decisions).toBe(137);
    expect(await decisionsInLog()).toBe(0);
    expect(await decisionsCounted()).toBe(0);
  });

  it('leaves the engine deciding as before: the first real decision is the first in the log', async () => {
    const res = await engine.post('/v1/decisions', decisionRequest());
    expect(res.status).toBe(201);
    expect(await decisionsInLog()).toBe(1);
    expect(await decisionsCounted()).toBe(1);
  });
});

describe('without a warm-up (VERDICT_WARMUP_DECISIONS=0)', () => {
  it('starts and decides all the same', async () => {
    const engine = await startEngine({ VERDICT_WARMUP_DECISIONS: '0' });
    try {
      expect(engine.config.warmupDecisions).toBe(0);
      expect((await engine.post('/v1/decisions', decisionRequest())).status).toBe(201);
    } finally {
      await engine.stop();
    }
  });
});

import { FeaturePlan, NonFiniteFeatureError, resolveFeatureColumn, type DecisionRequest, type ModelVersionRegisteredV1, type PolicySnapshot } from '@verdict/domain';
import { OnnxModelRuntime, type ModelRuntime } from '@verdict/model-runtime';
import { demoModelBytes } from '../../../../test/support/model-fixtures';
import type { DeploymentRuntime } from '../deployment/deployment-runtime';
import { LoadedModel } from '../deployment/loaded-model';
import { RoutingTable, type ChallengerArm } from '../deployment/routing-table';
import { DecisionScorer } from './decision-scorer';
import { NO_HISTORY } from '../history/testing/no-history';

const policy: PolicySnapshot = { version: 'p1', reviewThreshold: 0.5, declineThreshold: 0.8 } as PolicySnapshot;

const request = (i: number, amount = 40 + i): DecisionRequest => ({
  transactionId: `tx-${i}`,
  occurredAt: '2026-03-03T02:10:00Z',
  amount,
  currency: 'EUR',
  cardId: `card-${i}`,
  merchantId: `m-${i % 3}`,
  channel: 'ecom',
  country: 'DE',
});

/** A real session that fails every run from the moment it is told to: a challenger going bad. */
function failing(runtime: ModelRuntime): ModelRuntime & { fail: boolean } {
  const wrapper = {
    fail: true,
    descriptor: runtime.descriptor,
    score: (values: Float32Array, rows: number) => (wrapper.fail ? Promise.reject(new Error('challenger session is gone')) : runtime.score(values, rows)),
    close: () => runtime.close(),
  };
  return wrapper;
}

async function loaded(version: string, wrap: (r: ModelRuntime) => ModelRuntime = (r) => r, plan?: (r: ModelRuntime) => FeaturePlan): Promise<LoadedModel> {
  const runtime = await OnnxModelRuntime.fromBytes(demoModelBytes(), { source: 'demo', name: 'fraud-demo', version });
  const model = new LoadedModel({ name: 'fraud-demo', version } as ModelVersionRegisteredV1, wrap(runtime), plan?.(runtime) ?? new FeaturePlan(runtime.descriptor.features), () => undefined);
  model.retain();
  return model;
}

function scorerFor(table: RoutingTable): DecisionScorer {
  return new DecisionScorer({ require: () => table } as unknown as DeploymentRuntime, NO_HISTORY);
}

describe('DecisionScorer', () => {
  const opened: LoadedModel[] = [];
  const open = async (version: string, wrap?: (r: ModelRuntime) => ModelRuntime, plan?: (r: ModelRuntime) => FeaturePlan) => {
    const m = await loaded(version, wrap, plan);
    opened.push(m);
    return m;
  };
  afterAll(async () => {
    for (const m of opened) m.release();
  });

  it('scores many requests in one run exactly as it scores each alone', async () => {
    const champion = await open('1.0.0');
    const scorer = scorerFor(new RoutingTable(3, {} as never, { model: champion, policy }, null, null));
    const items = Array.from({ length: 12 }, (_, i) => ({ request: request(i, i * 97.5), requestHash: `h${i}` }));
    const together = await scorer.scoreAll(items, performance.now());
    for (const [i, item] of items.entries()) {
      const alone = await scorer.score(item.request, item.requestHash, performance.now());
      const batched = together[i];
      if (batched instanceof Error) throw batched;
      expect(batched.score).toBe(alone.score);
      expect(batched.modelOutputs).toEqual(alone.modelOutputs);
      expect(batched.reasons).toEqual(alone.reasons);
      expect(batched.features).toEqual(alone.features);
      expect(batched.deployment).toEqual({ revision: 3, arm: 'champion', bucket: null });
    }
  });

  it("records the model's names and baseline without copying them into each event, and leaves them as they were", async () => {
    const champion = await open('1.0.0');
    const { featureNames, baseline } = champion.recorded;
    const names = [...featureNames];
    const values = [...baseline];
    const scorer = scorerFor(new RoutingTable(3, {} as never, { model: champion, policy }, null, null));
    const decided = await scorer.scoreAll([0, 1, 2].map((i) => ({ request: request(i), requestHash: `h${i}` })), performance.now());
    for (const d of decided) {
      if (d instanceof Error) throw d;
      expect(d.features.names).toBe(featureNames);
      expect(d.explanation.baseline).toBe(baseline);
    }
    expect(featureNames).toEqual(names);
    expect(baseline).toEqual(values);
    expect(baseline).toEqual(champion.runtime.descriptor.baseline);
  });

  it('hands canary requests to the champion when the challenger run fails, and records why', async () => {
    const champion = await open('1.0.0');
    const challengerModel = await open('2.0.0', failing);
    const challenger: ChallengerArm = { model: challengerModel, policy, deploymentId: 'd1', mode: 'canary', trafficPercent: 100, routingKey: 'cardId' };
    const scorer = scorerFor(new RoutingTable(4, {} as never, { model: champion, policy }, challenger, null));
    const outcomes = await scorer.scoreAll([0, 1, 2].map((i) => ({ request: request(i), requestHash: `h${i}` })), performance.now());
    for (const o of outcomes) {
      if (o instanceof Error) throw o;
      expect(o.model.version).toBe('1.0.0');
      expect(o.deployment).toMatchObject({ arm: 'champion', challengerError: 'challenger session is gone' });
    }
    (challengerModel.runtime as ReturnType<typeof failing>).fail = false;
    const [healthy] = await scorer.scoreAll([{ request: request(0), requestHash: 'h0' }], performance.now());
    expect(healthy).toMatchObject({ model: { version: '2.0.0' }, deployment: { arm: 'challenger' } });
  });

  it('records a shadow failure without failing or changing the decisions', async () => {
    const champion = await open('1.0.0');
    const shadowModel = await open('2.0.0', failing);
    const shadow: ChallengerArm = { model: shadowModel, policy, deploymentId: 'd2', mode: 'shadow', trafficPercent: 100, routingKey: 'cardId' };
    const scorer = scorerFor(new RoutingTable(5, {} as never, { model: champion, policy }, shadow, null));
    const [failed] = await scorer.scoreAll([{ request: request(1), requestHash: 'h1' }], performance.now());
    expect(failed).toMatchObject({ model: { version: '1.0.0' }, shadow: { model: { version: '2.0.0' }, error: 'challenger session is gone' } });
    (shadowModel.runtime as ReturnType<typeof failing>).fail = false;
    const outcomes = await scorer.scoreAll([1, 2].map((i) => ({ request: request(i), requestHash: `h${i}` })), performance.now());
    for (const o of outcomes) {
      if (o instanceof Error) throw o;
      expect(o.shadow?.score).toBe(o.score); // same bytes, same row: the same score
      expect(o.shadow?.modelOutputs).toEqual(o.modelOutputs);
    }
  });

  it('fails only the request whose features cannot be built; the others of its scoring are decided', async () => {
    // Feature code that gives a non-finite value for one transaction: building its row throws.
    const plan = (r: ModelRuntime) =>
      new FeaturePlan(r.descriptor.features, (spec) => {
        const column = resolveFeatureColumn(spec);
        return { ...column, compute: (req: DecisionRequest) => (req.transactionId === 'tx-1' ? Number.NaN : column.compute(req)) };
      });
    const champion = await open('1.0.0', undefined, plan);
    const scorer = scorerFor(new RoutingTable(6, {} as never, { model: champion, policy }, null, null));
    const outcomes = await scorer.scoreAll([0, 1, 2].map((i) => ({ request: request(i), requestHash: `h${i}` })));
    expect(outcomes[1]).toBeInstanceOf(NonFiniteFeatureError);
    for (const i of [0, 2]) expect(outcomes[i]).toMatchObject({ transactionId: `tx-${i}`, model: { version: '1.0.0' } });
  });

  it('times each request from its own arrival', async () => {
    const champion = await open('1.0.0');
    const scorer = scorerFor(new RoutingTable(7, {} as never, { model: champion, policy }, null, null));
    const now = performance.now();
    const [early, late] = await scorer.scoreAll([
      { request: request(0), requestHash: 'h0', startedAt: now - 50 },
      { request: request(1), requestHash: 'h1', startedAt: now },
    ]);
    if (early instanceof Error || late instanceof Error) throw early instanceof Error ? early : late;
    expect(early.timings.totalMs - late.timings.totalMs).toBeCloseTo(50, 0);
    expect(early.timings.inferenceMs).toBe(late.timings.inferenceMs);
  });

  it('records a shadow that cannot build its row as a failed shadow, and still decides the request', async () => {
    const nanFor1 = (r: ModelRuntime) =>
      new FeaturePlan(r.descriptor.features, (spec) => {
        const column = resolveFeatureColumn(spec);
        return { ...column, compute: (req: DecisionRequest) => (req.transactionId === 'tx-1' ? Number.NaN : column.compute(req)) };
      });
    const champion = await open('1.0.0');
    const shadowModel = await open('2.0.0', undefined, nanFor1);
    const shadow: ChallengerArm = { model: shadowModel, policy, deploymentId: 'd3', mode: 'shadow', trafficPercent: 100, routingKey: 'cardId' };
    const scorer = scorerFor(new RoutingTable(8, {} as never, { model: champion, policy }, shadow, null));
    const [ok, failedShadow] = await scorer.scoreAll([0, 1].map((i) => ({ request: request(i), requestHash: `h${i}` })));
    expect(ok).toMatchObject({ model: { version: '1.0.0' }, shadow: { model: { version: '2.0.0' }, outcome: expect.any(String) } });
    expect(failedShadow).toMatchObject({ model: { version: '1.0.0' }, shadow: { model: { version: '2.0.0' }, error: expect.stringContaining('non-finite') } });
  });
});

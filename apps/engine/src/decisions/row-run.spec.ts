import path from 'node:path';
import { explanationRows, FeaturePlan, HistoryState, historyFeatureValues } from '@verdict/domain';
import { OnnxModelRuntime } from '@verdict/model-runtime';
import { simulateTransactions } from '@verdict/simulator';
import type { Arm } from '../deployment/routing-table';
import { RowRun } from './row-run';

const DEMO_2 = path.resolve(__dirname, '../../../../models/fraud-demo/2.0.0/model.onnx');

describe('RowRun', () => {
  let runtime: OnnxModelRuntime;
  beforeAll(async () => {
    runtime = await OnnxModelRuntime.load({ path: DEMO_2 });
  });
  afterAll(() => runtime.close());

  it('gives every explanation score that scoring all 1 + F rows gives, bit for bit, running only the rows that differ', async () => {
    const { features, baseline } = runtime.descriptor;
    const plan = new FeaturePlan(features);
    const arm = { model: { plan, baseline, runtime } } as unknown as Arm;
    const history = new HistoryState(100_000);
    const run = new RowRun(arm);
    const added = [];
    let position = 0n;
    for (const { request } of simulateTransactions({ seed: 3, days: 3, customers: 200, terminals: 50 })) {
      const values = historyFeatureValues(history, request, plan.historyNames);
      added.push(run.add(request, added.length % 5 !== 4, () => values));
      history.applyDecision(++position, request, 'approve');
      if (added.length === 300) break;
    }
    await run.run();
    const total = added.reduce((n, s) => n + s.rows, 0);
    // Most features of a typical transaction sit at their baseline: far fewer rows than 1 + F each.
    expect(total).toBeLessThan(added.length * (features.length + 1) * 0.8);
    for (const slot of added) {
      const { scores } = run.scoresOf(slot);
      const all = slot.explained ? (await runtime.score(explanationRows(slot.values, baseline), features.length + 1)).scores : (await runtime.score(slot.values, 1)).scores;
      expect(Array.from(scores).map((x) => x.toString())).toEqual(Array.from(all).map((x) => x.toString()));
    }
  });
});

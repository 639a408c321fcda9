import type { DecisionMade } from '../decision-made.event';
import { compareFeatures, compareReplay, type ReplayedRun } from './replay-comparison';

const f32 = (x: number): number => Math.fround(x);
/** The next float32 above x: one unit in the last place. */
const nextUp = (x: number): number => {
  const a = new Float32Array([x]);
  new Uint32Array(a.buffer)[0] += 1;
  return a[0];
};

const scores = Float32Array.from([0.75, 0.5, 0.75, 0.7]);
const decision = {
  features: { names: ['amount', 'hour', 'foreign'], values: [f32(120.5), 3, 1] },
  modelOutputs: {
    label: { type: 'int64', dims: [1], data: [1] },
    probabilities: { type: 'float32', dims: [1, 2], data: [f32(0.25), f32(0.75)] },
  },
  score: f32(0.75),
  policy: { version: 'p', reviewThreshold: 0.5, declineThreshold: 0.9 },
  outcome: 'review',
  reasons: [
    { feature: 'amount', value: f32(120.5), contribution: 0.25 },
    { feature: 'foreign', value: 1, contribution: 0.05 },
  ],
} as unknown as DecisionMade;
const replayed = (over: Partial<ReplayedRun> = {}): ReplayedRun => ({ modelOutputs: decision.modelOutputs, scores, ...over });

describe('compareReplay', () => {
  it('finds nothing when every output, the score, the outcome and the reasons come out the same', () => {
    expect(compareReplay(decision, replayed())).toEqual([]);
  });

  it('names one float32 unit in the last place of one output value, by path', () => {
    const probabilities = { type: 'float32', dims: [1, 2], data: [f32(0.25), nextUp(0.75)] };
    expect(compareReplay(decision, replayed({ modelOutputs: { ...decision.modelOutputs, probabilities } }))).toEqual([
      { field: 'modelOutputs.probabilities[1]', recorded: f32(0.75), replayed: nextUp(0.75) },
    ]);
  });

  it('names a changed type, changed dims, and an output that is missing or new', () => {
    const diffs = compareReplay(decision, replayed({ modelOutputs: { label: { type: 'int32', dims: [2], data: [1] }, extra: { type: 'float32', dims: [1], data: [0] } } }));
    expect(diffs.map((d) => d.field)).toEqual(['modelOutputs.extra', 'modelOutputs.label.type', 'modelOutputs.label.dims', 'modelOutputs.probabilities']);
  });

  it('checks the score, the outcome under the recorded policy, and the reasons from the replayed scores', () => {
    const other = Float32Array.from([0.95, 0.5, 0.95, 0.7]);
    const fields = compareReplay(decision, replayed({ scores: other })).map((d) => d.field);
    expect(fields).toEqual(['score', 'outcome', 'reasons']);
  });
});

describe('compareFeatures', () => {
  it('names each feature whose recomputed float32 value differs', () => {
    expect(compareFeatures(decision, Float32Array.from([120.5, 3, 1]))).toEqual([]);
    expect(compareFeatures(decision, Float32Array.from([132.55, 3, 0]))).toEqual([
      { field: 'features.amount', recorded: f32(120.5), replayed: f32(132.55) },
      { field: 'features.foreign', recorded: 1, replayed: 0 },
    ]);
  });
});

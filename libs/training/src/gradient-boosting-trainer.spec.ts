import { InvalidDatasetError, selectRows } from './dataset';
import { DEFAULT_GBDT_PARAMS, trainGradientBoosting, type GradientBoostingParams } from './gradient-boosting-trainer';
import { rocAuc } from './binary-metrics';
import { predictProbabilities, rawScore, treeLeafValue, type Tree, type TreeNode } from './tree-ensemble';
import { syntheticDataset } from './testing/synthetic-dataset';

const params: GradientBoostingParams = { ...DEFAULT_GBDT_PARAMS, nEstimators: 40, maxDepth: 4, earlyStoppingRounds: 0 };
const train = syntheticDataset(6000, 1);
const test = syntheticDataset(3000, 2);

function depth(tree: Tree, id = 0): number {
  const n = tree.nodes[id] as TreeNode;
  return n.feature < 0 ? 0 : 1 + Math.max(depth(tree, n.left), depth(tree, n.right));
}

describe('trainGradientBoosting', () => {
  const result = trainGradientBoosting(train, params);

  it('learns the signal and generalises to held-out rows', () => {
    const auc = rocAuc(predictProbabilities(result.model, test.values, test.rows), test.labels);
    expect(auc).toBeGreaterThan(0.75);
    const losses = result.history.map((h) => h.trainLoss);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]!);
    // The noise column carries no signal: it should earn far less gain than the amount.
    const gain = (name: string): number => result.featureGain[train.featureNames.indexOf(name)]!;
    expect(gain('noise')).toBeLessThan(gain('amount') / 4);
  });

  it('respects max depth and the minimum rows per leaf', () => {
    const p = { ...params, subsample: 1, minSamplesLeaf: 50 };
    const r = trainGradientBoosting(train, p);
    const F = train.featureNames.length;
    for (const tree of r.model.trees) {
      expect(depth(tree)).toBeLessThanOrEqual(p.maxDepth);
      const perLeaf = new Map<number, number>();
      for (let i = 0; i < train.rows; i++) {
        let id = 0;
        let n = tree.nodes[0]!;
        while (n.feature >= 0) {
          id = train.values[i * F + n.feature]! <= n.threshold ? n.left : n.right;
          n = tree.nodes[id]!;
        }
        perLeaf.set(id, (perLeaf.get(id) ?? 0) + 1);
      }
      for (const count of perLeaf.values()) expect(count).toBeGreaterThanOrEqual(p.minSamplesLeaf);
    }
  });

  it('keeps thresholds and leaf values as float32 values', () => {
    for (const tree of result.model.trees) {
      for (const n of tree.nodes) {
        expect(Math.fround(n.threshold)).toBe(n.threshold);
        expect(Math.fround(n.value)).toBe(n.value);
      }
    }
    expect(Math.fround(result.model.baseScore)).toBe(result.model.baseScore);
  });

  it('predicts sigmoid(base + sum of leaves)', () => {
    const F = train.featureNames.length;
    const p = predictProbabilities(result.model, test.values.subarray(0, 20 * F), 20);
    for (let i = 0; i < 20; i++) {
      let s = result.model.baseScore;
      for (const tree of result.model.trees) s += treeLeafValue(tree, test.values, i * F);
      expect(rawScore(result.model, test.values, i * F)).toBeCloseTo(s, 4);
      expect(p[i]).toBeCloseTo(1 / (1 + Math.exp(-s)), 6);
    }
  });

  it('is deterministic for a seed, and the seed drives row subsampling', () => {
    const again = trainGradientBoosting(train, params);
    expect(again.model).toEqual(result.model);
    const otherSeed = trainGradientBoosting(train, { ...params, seed: params.seed + 1 });
    expect(otherSeed.model).not.toEqual(result.model);
    const full1 = trainGradientBoosting(train, { ...params, nEstimators: 5, subsample: 1, seed: 1 });
    const full2 = trainGradientBoosting(train, { ...params, nEstimators: 5, subsample: 1, seed: 2 });
    expect(full2.model).toEqual(full1.model);
  });

  it('stops early on the validation loss and keeps the best round', () => {
    const validation = syntheticDataset(2000, 3);
    const r = trainGradientBoosting(train, { ...params, nEstimators: 400, learningRate: 0.3, maxDepth: 6, earlyStoppingRounds: 5 }, validation);
    expect(r.history.length).toBeLessThan(400);
    expect(r.model.trees).toHaveLength(r.bestIteration);
    expect(r.history.length - r.bestIteration).toBe(5);
    const best = r.history[r.bestIteration - 1]!.validationLoss!;
    for (const h of r.history) expect(h.validationLoss!).toBeGreaterThanOrEqual(best);
  });

  it('rejects invalid parameters and data', () => {
    expect(() => trainGradientBoosting(train, { ...params, learningRate: 0 })).toThrow(RangeError);
    expect(() => trainGradientBoosting(train, { ...params, subsample: 1.5 })).toThrow(RangeError);
    expect(() => trainGradientBoosting(train, { ...params, maxDepth: 0 })).toThrow(RangeError);
    const bad = selectRows(train, [0, 1, 2]);
    bad.values[4] = NaN;
    expect(() => trainGradientBoosting(bad, params)).toThrow(InvalidDatasetError);
    const badLabel = selectRows(train, [0, 1, 2]);
    badLabel.labels[1] = 2;
    expect(() => trainGradientBoosting(badLabel, params)).toThrow(InvalidDatasetError);
  });
});

import { validateDataset, type Dataset } from './dataset';
import { binnedLeafValue, HistogramTreeBuilder, type TreeGrowthParams } from './histogram-tree-builder';
import { binDataset, fitBinMapper, type BinMapper } from './quantile-binning';
import { SeededRandom } from './seeded-random';
import type { Tree, TreeEnsemble } from './tree-ensemble';

export interface GradientBoostingParams extends TreeGrowthParams {
  /** Maximum number of boosting rounds (trees). */
  readonly nEstimators: number;
  /** Fraction of training rows drawn (Bernoulli, seeded) for each tree; 1 = all rows. */
  readonly subsample: number;
  /** Histogram bins per feature, ≤ 255. */
  readonly maxBins: number;
  readonly seed: number;
  /** Stop when the validation loss has not improved for this many rounds (needs a validation set); 0 = never. */
  readonly earlyStoppingRounds: number;
}

export const DEFAULT_GBDT_PARAMS: GradientBoostingParams = {
  nEstimators: 300,
  learningRate: 0.1,
  maxDepth: 6,
  minSamplesLeaf: 20,
  minHessianLeaf: 1e-3,
  l2: 1,
  minSplitGain: 0,
  subsample: 0.8,
  maxBins: 255,
  seed: 1,
  earlyStoppingRounds: 30,
};

export interface IterationLog {
  readonly iteration: number;
  readonly trainLoss: number;
  readonly validationLoss: number | null;
}

export interface TrainingResult {
  readonly model: TreeEnsemble;
  readonly binMapper: BinMapper;
  /** Number of trees kept (the best validation round when early stopping is on). */
  readonly bestIteration: number;
  readonly history: readonly IterationLog[];
  /** Total loss reduction per feature over the kept trees, in featureNames order. */
  readonly featureGain: readonly number[];
}

const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** Mean logistic loss of raw scores, computed without overflow (log1p(exp(-|x|)) form). */
export function logLoss(raw: Float64Array, labels: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < raw.length; i++) {
    const x = raw[i] as number;
    const z = labels[i] === 1 ? -x : x; // loss = log(1 + e^z)
    sum += z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
  }
  return raw.length === 0 ? 0 : sum / raw.length;
}

export function validateParams(p: GradientBoostingParams): void {
  const check = (ok: boolean, what: string): void => {
    if (!ok) throw new RangeError(`Invalid training parameter: ${what}`);
  };
  check(Number.isInteger(p.nEstimators) && p.nEstimators >= 1, `nEstimators=${p.nEstimators}`);
  check(p.learningRate > 0 && p.learningRate <= 1, `learningRate=${p.learningRate}`);
  check(Number.isInteger(p.maxDepth) && p.maxDepth >= 1 && p.maxDepth <= 16, `maxDepth=${p.maxDepth}`);
  check(Number.isInteger(p.minSamplesLeaf) && p.minSamplesLeaf >= 1, `minSamplesLeaf=${p.minSamplesLeaf}`);
  check(p.minHessianLeaf >= 0, `minHessianLeaf=${p.minHessianLeaf}`);
  check(p.l2 >= 0, `l2=${p.l2}`);
  check(p.minSplitGain >= 0, `minSplitGain=${p.minSplitGain}`);
  check(p.subsample > 0 && p.subsample <= 1, `subsample=${p.subsample}`);
  check(Number.isInteger(p.earlyStoppingRounds) && p.earlyStoppingRounds >= 0, `earlyStoppingRounds=${p.earlyStoppingRounds}`);
}

/**
 * Histogram gradient boosting for binary classification with logistic loss (Newton leaves, L2, shrinkage, row
 * subsampling). Deterministic: the same data, parameters and seed give identical trees.
 */
export function trainGradientBoosting(
  train: Dataset,
  params: GradientBoostingParams,
  validation?: Dataset,
  onIteration?: (log: IterationLog) => void,
): TrainingResult {
  validateParams(params);
  validateDataset(train);
  if (train.rows === 0) throw new RangeError('Cannot train on an empty dataset');
  if (validation !== undefined) {
    validateDataset(validation);
    if (validation.featureNames.join('\u0000') !== train.featureNames.join('\u0000')) {
      throw new RangeError('Validation features differ from training features');
    }
  }
  const F = train.featureNames.length;
  const binMapper = fitBinMapper(train, params.maxBins);
  const bins = binDataset(binMapper, train);
  const validBins = validation && validation.rows > 0 ? binDataset(binMapper, validation) : null;

  let positives = 0;
  for (let i = 0; i < train.rows; i++) positives += train.labels[i] as number;
  const prior = Math.min(Math.max(positives / train.rows, 1e-6), 1 - 1e-6);
  const baseScore = Math.fround(Math.log(prior / (1 - prior)));

  const raw = new Float64Array(train.rows).fill(baseScore);
  const validRaw = validation ? new Float64Array(validation.rows).fill(baseScore) : null;
  const grad = new Float64Array(train.rows);
  const hess = new Float64Array(train.rows);
  const indices = new Uint32Array(train.rows);
  const rng = new SeededRandom(params.seed);
  const builder = new HistogramTreeBuilder(binMapper, bins, params);

  const trees: Tree[] = [];
  const gains: Float64Array[] = [];
  const history: IterationLog[] = [];
  let bestLoss = Infinity;
  let bestIteration = 0;
  const earlyStopping = params.earlyStoppingRounds > 0 && validBins !== null;

  for (let it = 0; it < params.nEstimators; it++) {
    for (let i = 0; i < train.rows; i++) {
      const p = sigmoid(raw[i] as number);
      grad[i] = p - (train.labels[i] as number);
      hess[i] = Math.max(p * (1 - p), 1e-16);
    }
    let count = 0;
    for (let i = 0; i < train.rows; i++) {
      if (params.subsample >= 1 || rng.next() < params.subsample) indices[count++] = i;
    }
    const built = builder.build(grad, hess, indices, count);
    trees.push(built.tree);
    gains.push(built.gainByFeature);
    for (let i = 0; i < train.rows; i++) raw[i] = (raw[i] as number) + binnedLeafValue(built, bins, F, i);
    let validationLoss: number | null = null;
    if (validRaw !== null && validBins !== null && validation !== undefined) {
      for (let i = 0; i < validation.rows; i++) {
        validRaw[i] = (validRaw[i] as number) + binnedLeafValue(built, validBins, F, i);
      }
      validationLoss = logLoss(validRaw, validation.labels);
    }
    const log: IterationLog = { iteration: it + 1, trainLoss: logLoss(raw, train.labels), validationLoss };
    history.push(log);
    onIteration?.(log);
    if (earlyStopping && validationLoss !== null) {
      if (validationLoss < bestLoss) {
        bestLoss = validationLoss;
        bestIteration = it + 1;
      } else if (it + 1 - bestIteration >= params.earlyStoppingRounds) break;
    } else bestIteration = it + 1;
  }

  const kept = trees.slice(0, bestIteration);
  const featureGain = new Array<number>(F).fill(0);
  for (const g of gains.slice(0, bestIteration)) for (let f = 0; f < F; f++) featureGain[f]! += g[f] as number;
  return {
    model: { featureNames: [...train.featureNames], baseScore, trees: kept },
    binMapper,
    bestIteration,
    history,
    featureGain,
  };
}

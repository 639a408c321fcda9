import { createHash } from 'node:crypto';
import {
  exportOnnx,
  predictProbabilities,
  selectRows,
  thresholdForFalsePositiveRate,
  trainGradientBoosting,
  verdictMetadataEntries,
  ONNX_INPUT_NAME,
  ONNX_PRODUCER_NAME,
  ONNX_PROBABILITIES_OUTPUT,
  type IterationLog,
  type TrainingResult,
} from '@verdict/training';
import { legitimateMedians, summarizeFeatures, trainingStatistics } from './baseline-statistics';
import { evaluateScores } from './evaluation';
import type { TrainingConfig } from './fraud-demo-config';
import type { ModelManifest } from './model-manifest';
import { buildSimulatedDataset, rowsInDays, type SimulatedDataset } from './simulated-dataset';

export interface TrainingArtifacts {
  readonly onnx: Uint8Array;
  /** model.json without the external evaluation (added by the caller when the data is available). */
  readonly manifest: ModelManifest;
  readonly result: TrainingResult;
  readonly timingsMs: { readonly simulate: number; readonly train: number; readonly total: number };
}

const SCORE_OUTPUT = `${ONNX_PROBABILITIES_OUTPUT}:1`;

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

function pickScenarios(d: SimulatedDataset, rows: Uint32Array): string[] {
  return Array.from(rows, (r) => d.scenarios[r] as string);
}

/** simulate → features → split by day → train → calibrate thresholds → evaluate → export. Deterministic. */
export function runTrainingPipeline(config: TrainingConfig, onIteration?: (log: IterationLog) => void): TrainingArtifacts {
  const t0 = performance.now();
  const data = buildSimulatedDataset(config.simulation, config.features);
  const t1 = performance.now();
  const { days } = config.simulation;
  const { testDays, validationDays } = config.split;
  const trainEnd = days - testDays - validationDays;
  if (trainEnd < 1) throw new RangeError(`${days} days leave nothing to train on after ${testDays} test and ${validationDays} validation days`);
  const trainRows = rowsInDays(data, 0, trainEnd);
  const validRows = rowsInDays(data, trainEnd, days - testDays);
  const testRows = rowsInDays(data, days - testDays, days);
  const train = selectRows(data, trainRows);
  const validation = selectRows(data, validRows);
  const test = selectRows(data, testRows);

  const result = trainGradientBoosting(train, config.params, validation, onIteration);
  const t2 = performance.now();

  const validScores = predictProbabilities(result.model, validation.values, validation.rows);
  const declineThreshold = thresholdForFalsePositiveRate(validScores, validation.labels, config.policy.declineFpr);
  const reviewThreshold = Math.min(
    thresholdForFalsePositiveRate(validScores, validation.labels, config.policy.reviewFpr),
    declineThreshold,
  );
  const testScores = predictProbabilities(result.model, test.values, test.rows);
  const evaluate = (scores: Float32Array, labels: Uint8Array, rows: Uint32Array) =>
    evaluateScores(scores, labels, pickScenarios(data, rows), reviewThreshold, declineThreshold, config.requestInvisibleScenarios);
  const validationEval = evaluate(validScores, validation.labels, validRows);
  const testEval = evaluate(testScores, test.labels, testRows);

  const baseline = legitimateMedians(train);
  const onnx = exportOnnx(result.model, {
    metadata: verdictMetadataEntries({
      modelName: config.modelName,
      modelVersion: config.modelVersion,
      features: config.features,
      baseline,
      scoreOutput: SCORE_OUTPUT,
    }),
    docString: `${config.modelName} ${config.modelVersion}: gradient-boosted trees trained by verdict-train on simulated transactions`,
    graphName: config.modelName.replace(/[^A-Za-z0-9_]/g, '_'),
  });

  let positives = 0;
  for (const y of train.labels) positives += y;
  const totalGain = result.featureGain.reduce((a, b) => a + b, 0);
  const manifest: ModelManifest = {
    name: config.modelName,
    version: config.modelVersion,
    file: 'model.onnx',
    sha256: sha256Hex(onnx),
    bytes: onnx.length,
    producer: ONNX_PRODUCER_NAME,
    input: { name: ONNX_INPUT_NAME, shape: ['N', config.features.length], type: 'float32' },
    scoreOutput: SCORE_OUTPUT,
    features: [...config.features],
    baseline,
    policy: { version: config.policy.version, reviewThreshold, declineThreshold },
    training: {
      seed: config.params.seed,
      simulation: config.simulation,
      split: {
        ...config.split,
        trainRows: train.rows,
        validationRows: validation.rows,
        testRows: test.rows,
        trainFraudRate: positives / train.rows,
      },
      params: config.params,
      thresholdCalibration: { reviewFpr: config.policy.reviewFpr, declineFpr: config.policy.declineFpr },
      trees: result.model.trees.length,
      nodes: result.model.trees.reduce((n, t) => n + t.nodes.length, 0),
      featureGain: config.features
        .map((feature, f) => ({ feature, share: totalGain > 0 ? (result.featureGain[f] as number) / totalGain : 0 }))
        .sort((a, b) => b.share - a.share || a.feature.localeCompare(b.feature)),
    },
    metrics: { validation: validationEval, test: testEval, external: null },
    featureSummary: summarizeFeatures(train, baseline),
    trainingStatistics: trainingStatistics(train, predictProbabilities(result.model, train.values, train.rows)),
  };
  return { onnx, manifest, result, timingsMs: { simulate: t1 - t0, train: t2 - t1, total: performance.now() - t0 } };
}

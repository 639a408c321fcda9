import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { trainingStatisticsSchema } from '@verdict/domain';
import { OnnxModelRuntime } from '@verdict/model-runtime';
import { predictProbabilities, selectRows } from '@verdict/training';
import { FRAUD_DEMO_CONFIG, type TrainingConfig } from './fraud-demo-config';
import { buildSimulatedDataset, rowsInDays } from './simulated-dataset';
import { runTrainingPipeline, sha256Hex } from './training-pipeline';

const small: TrainingConfig = {
  ...FRAUD_DEMO_CONFIG,
  modelVersion: 'test',
  simulation: { ...FRAUD_DEMO_CONFIG.simulation, seed: 5, customers: 400, terminals: 200, days: 16 },
  split: { testDays: 4, validationDays: 3 },
  params: { ...FRAUD_DEMO_CONFIG.params, nEstimators: 40, earlyStoppingRounds: 10 },
};

describe('training pipeline on simulated transactions', () => {
  const first = runTrainingPipeline(small);

  it('splits by time and records what it did in the manifest', () => {
    const m = first.manifest;
    expect(m.sha256).toBe(sha256Hex(first.onnx));
    expect(m.bytes).toBe(first.onnx.length);
    expect(m.features).toEqual(small.features);
    expect(m.baseline).toHaveLength(small.features.length);
    const { trainRows, validationRows, testRows } = m.training.split;
    expect(trainRows).toBeGreaterThan(validationRows);
    expect(m.metrics.test.rows).toBe(testRows);
    expect(m.policy.reviewThreshold).toBeLessThanOrEqual(m.policy.declineThreshold);
    expect(m.metrics.validation.decline.falsePositiveRate).toBeLessThanOrEqual(small.policy.declineFpr);
    // Drift monitoring's baseline: every feature in order, then the score, each a valid binned distribution.
    const stats = m.trainingStatistics;
    expect(trainingStatisticsSchema.safeParse(stats).success).toBe(true);
    expect(stats.rows).toBe(trainRows);
    expect(stats.features.map((f) => f.name)).toEqual(small.features);
    for (const d of [...stats.features, stats.score]) {
      expect(d.edges.length).toBeLessThanOrEqual(19);
      // Quantile bins: none empty, none holding more than a value's own share needs.
      expect(d.proportions.every((p) => p > 0)).toBe(true);
    }
    expect(stats.features.find((f) => f.name === 'is_night')!.edges).toEqual([0.5]);
    expect(stats.score.edges.length).toBeGreaterThan(10);
    // The baseline is a typical genuine transaction: not foreign, not at night.
    expect(m.baseline[small.features.indexOf('is_foreign')]).toBe(0);
    expect(m.baseline[small.features.indexOf('is_night')]).toBe(0);
  });

  it('gives byte-identical ONNX and an identical manifest when run twice', () => {
    const second = runTrainingPipeline(small);
    expect(Buffer.from(second.onnx).equals(Buffer.from(first.onnx))).toBe(true);
    expect(second.manifest).toEqual(first.manifest);
  });

  it("scores the held-out days in onnxruntime exactly as the trainer's own prediction, to float32 rounding", async () => {
    const data = buildSimulatedDataset(small.simulation, small.features);
    const test = selectRows(data, rowsInDays(data, small.simulation.days - small.split.testDays, small.simulation.days));
    const expected = predictProbabilities(first.result.model, test.values, test.rows);
    const dir = mkdtempSync(path.join(tmpdir(), 'verdict-train-'));
    try {
      const file = path.join(dir, 'model.onnx');
      writeFileSync(file, first.onnx);
      const runtime = await OnnxModelRuntime.load({ path: file });
      try {
        expect(runtime.descriptor.sha256).toBe(first.manifest.sha256);
        expect(runtime.descriptor.features).toEqual(small.features);
        expect(runtime.descriptor.baseline).toEqual(first.manifest.baseline);
        const { scores } = await runtime.score(test.values, test.rows);
        let maxDiff = 0;
        for (let i = 0; i < test.rows; i++) maxDiff = Math.max(maxDiff, Math.abs(scores[i]! - expected[i]!));
        expect(test.rows).toBeGreaterThan(1000);
        expect(maxDiff).toBeLessThanOrEqual(2e-6);
      } finally {
        await runtime.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

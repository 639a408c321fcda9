import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { definePolicy, FEATURE_NAMES, HISTORY_FEATURES, trainingStatisticsProblems, trainingStatisticsSchema } from '@verdict/domain';
import { OnnxModelRuntime } from '@verdict/model-runtime';
import type { ModelManifest } from './model-manifest';
import { sha256Hex } from './training-pipeline';

/**
 * The committed versions of the demo model; a fresh start registers both and makes the newest champion. Regenerate
 * with `npm run train -- --model-version <v>`; verify with `-- --check`.
 */
describe.each(['1.0.0', '2.0.0'])('committed models/fraud-demo/%s', (version) => {
  const dir = path.resolve(__dirname, '..', '..', 'models', 'fraud-demo', version);
  const manifest = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8')) as ModelManifest;
  const onnxPath = path.join(dir, manifest.file);

  it('model.onnx has the sha256 and size recorded in model.json, and stays under 1 MB', () => {
    const bytes = readFileSync(onnxPath);
    expect(sha256Hex(bytes)).toBe(manifest.sha256);
    expect(bytes.length).toBe(manifest.bytes);
    expect(statSync(onnxPath).size).toBeLessThan(1024 * 1024);
  });

  it('loads in onnxruntime with metadata matching model.json and only known features', async () => {
    const runtime = await OnnxModelRuntime.load({ path: onnxPath });
    try {
      const d = runtime.descriptor;
      expect(d.sha256).toBe(manifest.sha256);
      expect(d.name).toBe(manifest.name);
      expect(d.version).toBe(manifest.version);
      expect(manifest.version).toBe(version);
      expect(d.features).toEqual(manifest.features);
      expect(d.baseline).toEqual(manifest.baseline);
      expect(d.scoreOutput).toEqual({ name: 'probabilities', column: 1 });
      for (const f of d.features) expect([...FEATURE_NAMES, ...HISTORY_FEATURES.map((h) => h.name)]).toContain(f);
      // Scoring the baseline row gives a low (genuine-looking) score.
      const { scores } = await runtime.score(Float32Array.from(manifest.baseline), 1);
      expect(scores[0]).toBeLessThan(manifest.policy.reviewThreshold);
    } finally {
      await runtime.close();
    }
  });

  it('carries valid training statistics for every feature, in order, and the score: the baseline drift is measured against', () => {
    expect(trainingStatisticsSchema.safeParse(manifest.trainingStatistics).success).toBe(true);
    expect(trainingStatisticsProblems(manifest.trainingStatistics, manifest.features)).toEqual([]);
    expect(manifest.trainingStatistics.rows).toBe(manifest.training.split.trainRows);
  });

  it('recommends a valid policy and documents the held-out metrics in the model card', () => {
    expect(() => definePolicy(manifest.policy)).not.toThrow();
    const card = readFileSync(path.join(dir, 'MODEL_CARD.md'), 'utf8');
    expect(card).toContain(manifest.sha256);
    expect(card).toContain(`ROC AUC ${Number(manifest.metrics.test.rocAuc.toFixed(4))}`);
    expect(card).toContain(`decline at ≥ ${manifest.policy.declineThreshold}`);
  });
});

describe('fraud-demo 2.0.0, the champion of a fresh start', () => {
  const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', 'models', 'fraud-demo', '2.0.0', 'model.json'), 'utf8')) as ModelManifest;

  it('meets the quality targets on the held-out simulated days, compromised terminals included', () => {
    expect(manifest.metrics.test.rocAuc).toBeGreaterThanOrEqual(0.9);
    expect(manifest.metrics.test.decline.falsePositiveRate).toBeLessThanOrEqual(0.02);
    expect(manifest.metrics.test.byScenario.map((s) => s.scenario)).toContain('compromised-terminal');
  });

  it('reads the terminal\'s fraud labels, and not the declines that simulated training data cannot have', () => {
    expect(manifest.features).toContain('merchant_fraud_labels_28d');
    expect(manifest.features).not.toContain('card_declines_24h');
    expect(manifest.training.featureGain.find((g) => g.feature === 'merchant_fraud_labels_28d')?.share).toBeGreaterThan(0.01);
  });
});

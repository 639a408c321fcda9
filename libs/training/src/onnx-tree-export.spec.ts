import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { onnx } from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { OnnxModelRuntime } from '@verdict/model-runtime';
import { DEFAULT_GBDT_PARAMS, trainGradientBoosting, type GradientBoostingParams } from './gradient-boosting-trainer';
import { exportOnnx, OnnxExportError } from './onnx-tree-export';
import { syntheticDataset } from './testing/synthetic-dataset';
import { predictProbabilities, type TreeEnsemble } from './tree-ensemble';
import { verdictMetadataEntries } from './verdict-model-metadata';

const params: GradientBoostingParams = { ...DEFAULT_GBDT_PARAMS, nEstimators: 60, maxDepth: 5, earlyStoppingRounds: 0 };
const train = syntheticDataset(8000, 11);
const heldOut = syntheticDataset(4000, 12);
const baseline = train.featureNames.map((_, i) => i / 2);
const metadata = verdictMetadataEntries({
  modelName: 'unit-gbdt',
  modelVersion: '0.0.1',
  features: train.featureNames,
  baseline,
  scoreOutput: 'probabilities:1',
});

/** float32 rounding of a probability accumulated over ~100 float32 additions: a few ulps around 1. */
const TOLERANCE = 2e-6;

async function runOrt(bytes: Uint8Array, values: Float32Array, rows: number, features: number) {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const out = await session.run({ input: new ort.Tensor('float32', values, [rows, features]) });
    return { label: out['label']!, probabilities: out['probabilities']! };
  } finally {
    await session.release();
  }
}

describe('ONNX export of a trained ensemble', () => {
  const { model } = trainGradientBoosting(train, params);
  const bytes = exportOnnx(model, { metadata });
  const F = train.featureNames.length;

  it("scores held-out rows in onnxruntime exactly as the trainer's own prediction, to float32 rounding", async () => {
    const expected = predictProbabilities(model, heldOut.values, heldOut.rows);
    const { label, probabilities } = await runOrt(bytes, heldOut.values, heldOut.rows, F);
    expect(probabilities.dims).toEqual([heldOut.rows, 2]);
    expect(label.type).toBe('int64');
    const p = probabilities.data as Float32Array;
    const labels = label.data as BigInt64Array;
    let maxDiff = 0;
    for (let i = 0; i < heldOut.rows; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(p[i * 2 + 1]! - expected[i]!), Math.abs(p[i * 2]! - (1 - expected[i]!)));
      // The label is the class whose probability exceeds one half (raw score > 0).
      if (Math.abs(expected[i]! - 0.5) > TOLERANCE) expect(labels[i]).toBe(expected[i]! > 0.5 ? 1n : 0n);
    }
    expect(maxDiff).toBeLessThanOrEqual(TOLERANCE);
  });

  it('agrees with onnxruntime on rows sitting exactly on split thresholds (x <= t goes left in both)', async () => {
    const rows: number[] = [];
    for (const tree of model.trees.slice(0, 20)) {
      for (const n of tree.nodes) {
        if (n.feature < 0) continue;
        const row = Array.from(heldOut.values.subarray(0, F));
        row[n.feature] = n.threshold;
        rows.push(...row);
        row[n.feature] = nextFloat32Up(n.threshold);
        rows.push(...row);
      }
    }
    const values = Float32Array.from(rows);
    const count = values.length / F;
    const expected = predictProbabilities(model, values, count);
    const { probabilities } = await runOrt(bytes, values, count, F);
    const p = probabilities.data as Float32Array;
    for (let i = 0; i < count; i++) expect(Math.abs(p[i * 2 + 1]! - expected[i]!)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('loads through OnnxModelRuntime with the verdict metadata and the same scores', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'verdict-export-'));
    try {
      const file = path.join(dir, 'unit-gbdt.onnx');
      writeFileSync(file, bytes);
      const runtime = await OnnxModelRuntime.load({ path: file });
      try {
        const d = runtime.descriptor;
        expect(d.name).toBe('unit-gbdt');
        expect(d.version).toBe('0.0.1');
        expect(d.features).toEqual(train.featureNames);
        expect(d.baseline).toEqual(baseline);
        expect(d.inputName).toBe('input');
        expect(d.scoreOutput).toEqual({ name: 'probabilities', column: 1 });
        const rows = 500;
        const values = heldOut.values.subarray(0, rows * F);
        const { scores } = await runtime.score(values, rows);
        const expected = predictProbabilities(model, values, rows);
        for (let i = 0; i < rows; i++) expect(Math.abs(scores[i]! - expected[i]!)).toBeLessThanOrEqual(TOLERANCE);
      } finally {
        await runtime.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes one TreeEnsembleClassifier node with the documented graph contract', () => {
    const proto = onnx.ModelProto.decode(bytes);
    expect(proto.producerName).toBe('verdict-train');
    expect(proto.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([
      ['', 13],
      ['ai.onnx.ml', 1],
    ]);
    const graph = proto.graph as onnx.GraphProto;
    expect(graph.node).toHaveLength(1);
    const node = graph.node[0] as onnx.NodeProto;
    expect([node.opType, node.domain]).toEqual(['TreeEnsembleClassifier', 'ai.onnx.ml']);
    const attr = (name: string) => node.attribute.find((a) => a.name === name) as onnx.AttributeProto;
    expect(Buffer.from(attr('post_transform').s!).toString()).toBe('LOGISTIC');
    expect(attr('classlabels_int64s').ints.map((v) => Number(v))).toEqual([0, 1]);
    expect(attr('base_values').floats).toEqual([model.baseScore]);
    const modes = attr('nodes_modes').strings.map((s) => Buffer.from(s).toString());
    expect(new Set(modes)).toEqual(new Set(['BRANCH_LEQ', 'LEAF']));
    expect(attr('class_weights').floats).toHaveLength(modes.filter((m) => m === 'LEAF').length);
    const input = graph.input[0] as onnx.ValueInfoProto;
    expect(input.name).toBe('input');
    expect((input.type as onnx.TypeProto).tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue))).toEqual(['N', F]);
    expect(graph.output.map((o) => o.name)).toEqual(['label', 'probabilities']);
    expect(Object.fromEntries(proto.metadataProps.map((m) => [m.key, m.value]))).toEqual({
      'verdict.features': JSON.stringify(train.featureNames),
      'verdict.baseline': JSON.stringify(baseline),
      'verdict.score_output': 'probabilities:1',
      'verdict.model_name': 'unit-gbdt',
      'verdict.model_version': '0.0.1',
    });
  });

  it('produces byte-identical files when training twice with the same seed', () => {
    const again = exportOnnx(trainGradientBoosting(train, params).model, { metadata });
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
    const reseeded = exportOnnx(trainGradientBoosting(train, { ...params, seed: 99 }).model, { metadata });
    expect(Buffer.from(reseeded).equals(Buffer.from(bytes))).toBe(false);
  });

  it('refuses ensembles onnxruntime would not post-transform, and duplicate metadata keys', () => {
    const positiveOnly: TreeEnsemble = {
      featureNames: ['x'],
      baseScore: -2,
      trees: [{ nodes: [{ feature: 0, threshold: 0.5, left: 1, right: 2, value: 0 }, leaf(0.1), leaf(0.3)] }],
    };
    expect(() => exportOnnx(positiveOnly, { metadata: [] })).toThrow(OnnxExportError);
    expect(() => exportOnnx(model, { metadata: [['k', 'a'], ['k', 'b']] })).toThrow(OnnxExportError);
  });
});

function leaf(value: number) {
  return { feature: -1, threshold: 0, left: -1, right: -1, value: Math.fround(value) };
}

function nextFloat32Up(x: number): number {
  if (x === 0) return 2 ** -149; // smallest positive float32 (also right after -0)
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer);
  if (x >= 0) u[0]! += 1;
  else u[0]! -= 1;
  return f[0]!;
}

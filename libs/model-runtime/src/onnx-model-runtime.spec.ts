import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { onnx } from 'onnx-proto';
import { ModelLoadError, ModelLoadErrorCode, ModelScoreError, ModelScoreErrorCode } from './model-runtime.errors';
import { OnnxModelRuntime } from './onnx-model-runtime';
import { buildLogisticTestModel, logisticTestScore, writeLogisticTestModel } from './testing/build-test-model';
import { sharedDataAvailable, sharedDataPath } from '../../../test/support/shared-data';

const externalModels = sharedDataPath('onnx-external');
const fixture = (...parts: string[]) => path.join(externalModels, ...parts);

interface IoJson {
  inputs: { onnx_name: string; shape: number[]; values: number[] }[];
  outputs: { onnx_name: string; shape: number[]; values: number[] }[];
}
const readIo = async (folder: string): Promise<IoJson> =>
  JSON.parse(await readFile(fixture(folder, 'io.json'), 'utf8')) as IoJson;

const WINE_FEATURES = [
  'alcohol', 'malic_acid', 'ash', 'alcalinity_of_ash', 'magnesium', 'total_phenols', 'flavanoids',
  'nonflavanoid_phenols', 'proanthocyanins', 'color_intensity', 'hue', 'od280_od315', 'proline',
];

async function loadError(promise: Promise<unknown>): Promise<ModelLoadError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelLoadError);
  return error as ModelLoadError;
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'verdict-model-runtime-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const withExternalModels = sharedDataAvailable('OnnxModelRuntime with converter models', 'onnx-external') ? describe : describe.skip;
withExternalModels('OnnxModelRuntime with converter models', () => {
  it.each([
    ['onnxmltools-xgb-classifier', 'label'],
    ['hummingbird-lgbm-classifier', 'output'],
  ])('%s scores the shipped input to the shipped probabilities', async (folder, labelOutput) => {
    const io = await readIo(folder);
    const expected = io.outputs.find((o) => o.onnx_name === 'probabilities')!.values;
    const runtime = await OnnxModelRuntime.load({
      path: fixture(folder, 'model.onnx'),
      features: WINE_FEATURES,
      // Three wine classes: the "positive" class is chosen explicitly.
      scoreOutput: { name: 'probabilities', column: 0 },
    });
    try {
      expect(runtime.descriptor.inputName).toBe('input');
      expect([...runtime.descriptor.outputNames].sort()).toEqual([labelOutput, 'probabilities'].sort());
      const result = await runtime.score(Float32Array.from(io.inputs[0].values), 1);
      expect(result.scores).toHaveLength(1);
      expect(result.scores[0]).toBeCloseTo(expected[0], 6);
      const probabilities = result.outputsOf(0).probabilities;
      expect(probabilities.type).toBe('float32');
      expect(probabilities.dims).toEqual([1, 3]);
      probabilities.data.forEach((v, i) => expect(v as number).toBeCloseTo(expected[i], 6));
      expect(result.outputsOf(0)[labelOutput]).toEqual({ type: 'int64', dims: [1], data: [0] });
      // JSON-safe: survives a round trip unchanged.
      expect(JSON.parse(JSON.stringify(result.outputsOf(0)))).toEqual(result.outputsOf(0));
    } finally {
      await runtime.close();
    }
  });

  it('scores many rows in one call, each row as if scored alone, and reports only the first row outputs', async () => {
    const io = await readIo('onnxmltools-xgb-classifier');
    const runtime = await OnnxModelRuntime.load({
      path: fixture('onnxmltools-xgb-classifier', 'model.onnx'),
      features: WINE_FEATURES,
      scoreOutput: { name: 'probabilities', column: 2 },
    });
    try {
      const base = io.inputs[0].values;
      const rows = 16;
      const values = new Float32Array(rows * base.length);
      for (let r = 0; r < rows; r++) {
        base.forEach((v, i) => (values[r * base.length + i] = i === 12 ? v - r * 60 : i === 6 ? v - r * 0.2 : v));
      }
      const batch = await runtime.score(values, rows);
      expect(batch.scores).toHaveLength(rows);
      expect(batch.scores[0]).toBeCloseTo(io.outputs[0].values[2], 6);
      for (let r = 0; r < rows; r++) {
        const single = await runtime.score(values.slice(r * base.length, (r + 1) * base.length), 1);
        expect(batch.scores[r]).toBeCloseTo(single.scores[0], 6);
      }
      expect(new Set(batch.scores).size).toBeGreaterThan(1);
      // A view into a larger buffer (byteOffset != 0) scores the viewed rows only.
      const view = await runtime.score(values.subarray(2 * base.length, 4 * base.length), 2);
      expect(Array.from(view.scores)).toEqual(Array.from(batch.scores.slice(2, 4)));
      expect(batch.outputsOf(0).probabilities.dims).toEqual([1, 3]);
      expect(batch.outputsOf(0).label.dims).toEqual([1]);
      // Each row's outputs are its own slice: row 3 of the batch reads as row 1 of the view.
      expect(batch.outputsOf(3)).toEqual(view.outputsOf(1));
      expect(() => batch.outputsOf(rows)).toThrow(RangeError);
    } finally {
      await runtime.close();
    }
  });

  it('records sha256 of the file bytes, runtime version and explicit session options', async () => {
    const file = fixture('onnxmltools-xgb-classifier', 'model.onnx');
    const runtime = await OnnxModelRuntime.load({ path: file, features: WINE_FEATURES, scoreOutput: { name: 'probabilities', column: 1 } });
    try {
      const sha256sum = execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(/\s+/)[0];
      const d = runtime.descriptor;
      expect(d.sha256).toBe(sha256sum);
      expect(d.path).toBe(file);
      expect(d.name).toBe('model');
      expect(d.version).toBe(`sha256-${sha256sum.slice(0, 12)}`);
      expect(d.features).toEqual(WINE_FEATURES);
      expect(d.baseline).toEqual(new Array(13).fill(0));
      expect(d.runtime).toEqual({
        name: 'onnxruntime-node',
        version: '1.30.0',
        executionProviders: ['cpu'],
        sessionOptions: {
          graphOptimizationLevel: 'all',
          executionMode: 'sequential',
          intraOpNumThreads: 1,
          interOpNumThreads: 1,
          enableCpuMemArena: true,
          enableMemPattern: true,
          logSeverityLevel: 3,
        },
      });
      expect(d.metadata).toEqual({});
      expect(Object.isFrozen(d.features)).toBe(true);
    } finally {
      await runtime.close();
    }
  });

  it('picks a single [N, 1] float output as the score (xgboost regressor)', async () => {
    const io = await readIo('onnxmltools-xgb-regressor');
    const runtime = await OnnxModelRuntime.load({ path: fixture('onnxmltools-xgb-regressor', 'model.onnx'), features: WINE_FEATURES });
    try {
      expect(runtime.descriptor.scoreOutput).toEqual({ name: 'variable', column: 0 });
      const result = await runtime.score(Float32Array.from(io.inputs[0].values), 1);
      expect(result.scores[0]).toBeCloseTo(io.outputs[0].values[0], 6);
    } finally {
      await runtime.close();
    }
  });

  it('scores the tf2onnx Keras MLP (symbolic batch dimension, single sigmoid output [N, 1])', async () => {
    const io = await readIo('tf2onnx-keras-mlp');
    const features = Array.from({ length: 100 }, (_, i) => `f${i}`);
    const runtime = await OnnxModelRuntime.load({ path: fixture('tf2onnx-keras-mlp', 'model.onnx'), features });
    try {
      expect(runtime.descriptor.scoreOutput).toEqual({ name: 'dense_1', column: 0 });
      const result = await runtime.score(Float32Array.from(io.inputs[0].values), 1);
      expect(result.scores[0]).toBeCloseTo(io.outputs[0].values[0], 6);
      expect(result.outputsOf(0).dense_1.dims).toEqual([1, 1]);
    } finally {
      await runtime.close();
    }
  });

  it('rejects the titanic pipeline, whose five mixed-type inputs do not fit [N, F] float32', async () => {
    const error = await loadError(
      OnnxModelRuntime.load({ path: fixture('skl2onnx-titanic', 'pipeline_titanic_nozipmap.onnx'), features: ['x'] }),
    );
    expect(error.code).toBe(ModelLoadErrorCode.UnsupportedInput);
    expect(error.message).toContain('5 inputs');
    expect(error.message).toContain('"pclass" (int64 [?, 1])');
    expect(error.message).toContain('"sex" (string [?, 1])');
  });

  it('rejects a ZipMap-only classifier with the zipmap=False fix', async () => {
    const error = await loadError(
      OnnxModelRuntime.load({ path: fixture('skl2onnx-rf-iris-zipmap', 'model.onnx'), features: ['a', 'b', 'c', 'd'] }),
    );
    expect(error.code).toBe(ModelLoadErrorCode.UnsupportedOutput);
    expect(error.message).toContain('"output_probability"');
    expect(error.message).toContain('ZipMap');
    expect(error.message).toContain("'zipmap': False");
  });

  it('rejects a ZipMap output named explicitly as the score output', async () => {
    const error = await loadError(
      OnnxModelRuntime.load({
        path: fixture('skl2onnx-rf-iris-zipmap', 'model.onnx'),
        features: ['a', 'b', 'c', 'd'],
        scoreOutput: { name: 'output_probability', column: 1 },
      }),
    );
    expect(error.code).toBe(ModelLoadErrorCode.UnsupportedOutput);
    expect(error.message).toContain("'zipmap': False");
  });

  it('asks for an explicit score column when probabilities have more than two classes', async () => {
    const error = await loadError(
      OnnxModelRuntime.load({ path: fixture('onnxmltools-xgb-classifier', 'model.onnx'), features: WINE_FEATURES }),
    );
    expect(error.code).toBe(ModelLoadErrorCode.UnsupportedOutput);
    expect(error.message).toContain('"probabilities" (float32 [?, 3])');
    expect(error.message).toContain('verdict.score_output');
  });

  it('turns the opset-6 PyTorch model into UNSUPPORTED_MODEL with ORT message as cause', async () => {
    const error = await loadError(
      OnnxModelRuntime.load({ path: fixture('onnx-pytorch-linear-opset6-unsupported', 'model.onnx'), features: ['x'] }),
    );
    expect(error.code).toBe(ModelLoadErrorCode.UnsupportedModel);
    expect(error.message).toContain('Gemm(6)');
    expect(error.message).toContain('ai.onnx 6');
    expect((error.cause as Error).message).toContain('Could not find an implementation for Gemm(6)');
  });

  it('reports FILE_NOT_FOUND for a missing file', async () => {
    const missing = path.join(tmp, 'does-not-exist.onnx');
    const error = await loadError(OnnxModelRuntime.load({ path: missing, features: ['x'] }));
    expect(error.code).toBe(ModelLoadErrorCode.FileNotFound);
    expect(error.path).toBe(missing);
    expect(error.message).toContain(missing);
  });

  it('reports INVALID_MODEL for bytes that are not an ONNX model', async () => {
    const file = path.join(tmp, 'garbage.onnx');
    await writeFile(file, 'this is not a protobuf model, just text\n');
    const error = await loadError(OnnxModelRuntime.load({ path: file, features: ['x'] }));
    expect(error.code).toBe(ModelLoadErrorCode.InvalidModel);
  });

  it('reports FEATURE_MISMATCH when the feature count differs from the input width', async () => {
    const error = await loadError(
      OnnxModelRuntime.load({
        path: fixture('hummingbird-lgbm-classifier', 'model.onnx'),
        features: WINE_FEATURES.slice(0, 12),
        scoreOutput: { name: 'probabilities', column: 0 },
      }),
    );
    expect(error.code).toBe(ModelLoadErrorCode.FeatureMismatch);
    expect(error.message).toContain('12 names but the model input has 13 columns');
  });

  it.each([
    [{ features: ['a', 'a'] }, 'twice'],
    [{ features: [] as string[] }, 'no features'],
    [{ features: ['a'], baseline: [Number.NaN] }, 'finite'],
    [{ features: ['a'], intraOpNumThreads: -1 }, 'intraOpNumThreads'],
  ])('reports INVALID_CONFIG for %j', async (config, text) => {
    // One-feature logistic model, so only the configuration is at fault.
    const file = path.join(tmp, `one-feature-${Math.random().toString(36).slice(2)}.onnx`);
    await writeFile(file, buildLogisticTestModel({ features: ['a'], weights: [1], bias: 0 }));
    const error = await loadError(OnnxModelRuntime.load({ path: file, ...config }));
    expect(error.code).toBe(ModelLoadErrorCode.InvalidConfig);
    expect(error.message).toContain(text);
  });

  it('rejects an input with a fixed batch size, which could not score a batch of rows', async () => {
    const proto = onnx.ModelProto.decode(buildLogisticTestModel({ features: ['a', 'b'], weights: [1, 1], bias: 0 }));
    proto.graph!.input![0].type!.tensorType!.shape!.dim![0] = { dimValue: 1 };
    const file = path.join(tmp, 'fixed-batch.onnx');
    await writeFile(file, onnx.ModelProto.encode(proto).finish());
    const error = await loadError(OnnxModelRuntime.load({ path: file }));
    expect(error.code).toBe(ModelLoadErrorCode.UnsupportedInput);
    expect(error.message).toContain('fixed batch size 1');
  });

  it('reports MISSING_FEATURES when neither metadata nor config names the features', async () => {
    const error = await loadError(
      OnnxModelRuntime.load({ path: fixture('onnxmltools-xgb-regressor', 'model.onnx') }),
    );
    expect(error.code).toBe(ModelLoadErrorCode.MissingFeatures);
  });
});

describe('OnnxModelRuntime with verdict.* metadata_props', () => {
  const model = {
    features: ['amount', 'velocity_1h', 'account_age_days'],
    weights: [0.002, 0.4, -0.01],
    bias: -1.5,
    baseline: [120, 1, 365],
    modelName: 'fraud-logistic',
    modelVersion: '2024.06.1',
  };

  it('honours features, baseline, score output, name and version from the metadata', async () => {
    const file = await writeLogisticTestModel(path.join(tmp, 'logistic.onnx'), model);
    const runtime = await OnnxModelRuntime.load({ path: file });
    try {
      const d = runtime.descriptor;
      expect(d.features).toEqual(model.features);
      expect(d.baseline).toEqual(model.baseline);
      expect(d.scoreOutput).toEqual({ name: 'probabilities', column: 1 });
      expect(d.name).toBe('fraud-logistic');
      expect(d.version).toBe('2024.06.1');
      expect(d.inputName).toBe('X');
      expect(d.metadata['verdict.features']).toBe(JSON.stringify(model.features));
      expect(d.metadata['verdict.score_output']).toBe('probabilities:1');

      const rows = [
        [950, 6, 3],
        [20, 0, 2000],
      ];
      const result = await runtime.score(Float32Array.from(rows.flat()), 2);
      rows.forEach((row, i) => expect(result.scores[i]).toBeCloseTo(logisticTestScore(model, row), 6));
      expect(result.outputsOf(0).label).toEqual({ type: 'int64', dims: [1], data: [1] });
      expect(result.outputsOf(0).probabilities.dims).toEqual([1, 2]);
    } finally {
      await runtime.close();
    }
  });

  it('lets configuration override the metadata', async () => {
    const file = await writeLogisticTestModel(path.join(tmp, 'logistic-override.onnx'), model);
    const runtime = await OnnxModelRuntime.load({
      path: file,
      name: 'configured',
      version: '7',
      features: ['a', 'b', 'c'],
      baseline: [1, 2, 3],
      scoreOutput: { name: 'probabilities', column: 0 },
    });
    try {
      const d = runtime.descriptor;
      expect([d.name, d.version, d.features, d.baseline]).toEqual(['configured', '7', ['a', 'b', 'c'], [1, 2, 3]]);
      const result = await runtime.score(Float32Array.from([950, 6, 3]), 1);
      expect(result.scores[0]).toBeCloseTo(1 - logisticTestScore(model, [950, 6, 3]), 6);
    } finally {
      await runtime.close();
    }
  });

  it('infers probabilities column 1 when no score output is declared', async () => {
    const file = path.join(tmp, 'logistic-no-score-output.onnx');
    await writeFile(file, buildLogisticTestModel({ ...model, scoreOutput: null }));
    const runtime = await OnnxModelRuntime.load({ path: file });
    try {
      expect(runtime.descriptor.scoreOutput).toEqual({ name: 'probabilities', column: 1 });
    } finally {
      await runtime.close();
    }
  });

  it.each([
    [{ metadata: { 'verdict.features': '["a","b"]' } }, ModelLoadErrorCode.FeatureMismatch],
    [{ baseline: [1, 2] }, ModelLoadErrorCode.BaselineMismatch],
    [{ metadata: { 'verdict.features': 'amount,velocity' } }, ModelLoadErrorCode.InvalidMetadata],
    [{ metadata: { 'verdict.baseline': '[1,"x",3]' } }, ModelLoadErrorCode.InvalidMetadata],
    [{ scoreOutput: 'probabilities' }, ModelLoadErrorCode.InvalidMetadata],
    [{ scoreOutput: 'probabilities:2' }, ModelLoadErrorCode.UnsupportedOutput],
    [{ scoreOutput: 'nope:0' }, ModelLoadErrorCode.UnsupportedOutput],
    [{ scoreOutput: 'label:0' }, ModelLoadErrorCode.UnsupportedOutput],
  ])('rejects bad metadata %j with %s', async (change, code) => {
    const file = path.join(tmp, `bad-${code}-${Math.random().toString(36).slice(2)}.onnx`);
    await writeFile(file, buildLogisticTestModel({ ...model, ...change }));
    const error = await loadError(OnnxModelRuntime.load({ path: file }));
    expect(error.code).toBe(code);
  });

  it('rejects score calls that do not match rows × features, and calls after close', async () => {
    const file = await writeLogisticTestModel(path.join(tmp, 'logistic-score-errors.onnx'), model);
    const runtime = await OnnxModelRuntime.load({ path: file });
    await expect(runtime.score(new Float32Array(5), 2)).rejects.toMatchObject({ code: ModelScoreErrorCode.InvalidInput });
    await expect(runtime.score(new Float32Array(0), 0)).rejects.toMatchObject({ code: ModelScoreErrorCode.InvalidInput });
    await expect(runtime.score([1, 2, 3] as unknown as Float32Array, 1)).rejects.toBeInstanceOf(ModelScoreError);
    const pending = runtime.score(Float32Array.from([1, 2, 3]), 1);
    await runtime.close();
    await expect(pending).resolves.toMatchObject({ scores: expect.any(Float32Array) });
    await expect(runtime.score(Float32Array.from([1, 2, 3]), 1)).rejects.toMatchObject({ code: ModelScoreErrorCode.Closed });
    await runtime.close();
  });
});

import { writeFile } from 'node:fs/promises';
import { onnx } from 'onnx-proto';
import { VERDICT_METADATA_KEYS } from '../onnx-model-metadata';

export interface LogisticTestModelOptions {
  /** Feature names, in input column order (written to `verdict.features`). */
  readonly features: readonly string[];
  /** One weight per feature. */
  readonly weights: readonly number[];
  readonly bias: number;
  /** Written to `verdict.baseline` when given. */
  readonly baseline?: readonly number[];
  /** Written to `verdict.model_name` / `verdict.model_version` when given. */
  readonly modelName?: string;
  readonly modelVersion?: string;
  /** `verdict.score_output`; default "probabilities:1". Pass null to leave the key out. */
  readonly scoreOutput?: string | null;
  /** Extra metadata_props, written after (and so able to replace) the verdict.* keys. */
  readonly metadata?: Readonly<Record<string, string>>;
}

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

const floatInit = (name: string, dims: number[], values: readonly number[]): onnx.ITensorProto => ({
  name,
  dims,
  dataType: FLOAT,
  floatData: [...values],
});

const valueInfo = (name: string, elemType: number, dims: (number | string)[]): onnx.IValueInfoProto => ({
  name,
  type: {
    tensorType: {
      elemType,
      shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
    },
  },
});

/**
 * A real, valid ONNX binary classifier (opset 13, IR 8) for tests: p = sigmoid(X·w + b).
 * Input `X` float32 [N, F]; outputs `label` int64 [N] (p > 0.5) and `probabilities` float32 [N, 2] = [1 - p, p],
 * the same output layout as sklearn/onnxmltools classifiers exported without ZipMap.
 * Carries Verdict's `verdict.*` metadata_props so OnnxModelRuntime can load it without configuration.
 */
export function buildLogisticTestModel(options: LogisticTestModelOptions): Uint8Array {
  const { features, weights, bias } = options;
  if (features.length === 0 || weights.length !== features.length) {
    throw new Error(`buildLogisticTestModel: need one weight per feature (${features.length} features, ${weights.length} weights)`);
  }
  const f = features.length;
  const metadata: Record<string, string> = { [VERDICT_METADATA_KEYS.features]: JSON.stringify(features) };
  if (options.baseline) metadata[VERDICT_METADATA_KEYS.baseline] = JSON.stringify(options.baseline);
  if (options.scoreOutput !== null) metadata[VERDICT_METADATA_KEYS.scoreOutput] = options.scoreOutput ?? 'probabilities:1';
  if (options.modelName) metadata[VERDICT_METADATA_KEYS.modelName] = options.modelName;
  if (options.modelVersion) metadata[VERDICT_METADATA_KEYS.modelVersion] = options.modelVersion;
  Object.assign(metadata, options.metadata ?? {});

  const node = (opType: string, input: string[], output: string[], attribute: onnx.IAttributeProto[] = []) => ({
    opType,
    input,
    output,
    attribute,
    name: output[0],
  });
  const graph: onnx.IGraphProto = {
    name: 'verdict_logistic_test_model',
    input: [valueInfo('X', FLOAT, ['N', f])],
    output: [valueInfo('label', INT64, ['N']), valueInfo('probabilities', FLOAT, ['N', 2])],
    initializer: [
      floatInit('W', [f, 1], weights),
      floatInit('B', [1], [bias]),
      floatInit('one', [1], [1]),
      floatInit('half', [1], [0.5]),
      { name: 'squeeze_axes', dims: [1], dataType: INT64, int64Data: [1] },
    ],
    node: [
      node('MatMul', ['X', 'W'], ['xw']),
      node('Add', ['xw', 'B'], ['logit']),
      node('Sigmoid', ['logit'], ['p']),
      node('Sub', ['one', 'p'], ['q']),
      node('Concat', ['q', 'p'], ['probabilities'], [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }]),
      node('Greater', ['p', 'half'], ['positive']),
      node('Cast', ['positive'], ['label_2d'], [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: INT64 }]),
      node('Squeeze', ['label_2d', 'squeeze_axes'], ['label']),
    ],
  };
  const model: onnx.IModelProto = {
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'verdict-test',
    producerVersion: '1',
    graph,
    metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
  };
  return onnx.ModelProto.encode(model).finish();
}

/** Writes the model to `filePath` and returns the path. */
export async function writeLogisticTestModel(filePath: string, options: LogisticTestModelOptions): Promise<string> {
  await writeFile(filePath, buildLogisticTestModel(options));
  return filePath;
}

/** The score the model should produce for one row, computed in double precision (compare with a float tolerance). */
export function logisticTestScore(options: Pick<LogisticTestModelOptions, 'weights' | 'bias'>, row: readonly number[]): number {
  const z = row.reduce((sum, x, i) => sum + x * options.weights[i], options.bias);
  return 1 / (1 + Math.exp(-z));
}

/**
 * A real ONNX model whose score is its one input, as given (probabilities = [1 - x, x]): a value float32 cannot hold
 * scores Infinity, and 1 - Infinity is -Infinity. For tests of what a model's non-finite score does.
 */
export function buildPassThroughTestModel(feature: string): Uint8Array {
  const graph: onnx.IGraphProto = {
    name: 'verdict_pass_through_test_model',
    input: [valueInfo('X', FLOAT, ['N', 1])],
    output: [valueInfo('probabilities', FLOAT, ['N', 2])],
    initializer: [floatInit('one', [1], [1])],
    node: [
      { opType: 'Sub', input: ['one', 'X'], output: ['q'], name: 'q' },
      { opType: 'Concat', input: ['q', 'X'], output: ['probabilities'], name: 'probabilities', attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }] },
    ],
  };
  const metadata = { [VERDICT_METADATA_KEYS.features]: JSON.stringify([feature]), [VERDICT_METADATA_KEYS.scoreOutput]: 'probabilities:1' };
  return onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'verdict-test',
    graph,
    metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
  }).finish();
}

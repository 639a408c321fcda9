import { onnx } from 'onnx-proto';
import { VERDICT_METADATA_KEYS } from '../onnx-model-metadata';

/**
 * Real ONNX models that onnxruntime loads but that do not fit Verdict: one that reads a file through external data,
 * and decision models whose run-time shapes break the decision path. Built here so tests show what they refuse.
 */

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const UINT8 = onnx.TensorProto.DataType.UINT8;
const INT32 = onnx.TensorProto.DataType.INT32;
const { AttributeType } = onnx.AttributeProto;

type Dim = number | string;
export const valueInfo = (name: string, elemType: number, dims?: Dim[]): onnx.IValueInfoProto => ({
  name,
  type: { tensorType: { elemType, ...(dims ? { shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } : {}) } },
});
export const node = (opType: string, input: string[], output: string[], attribute: onnx.IAttributeProto[] = []): onnx.INodeProto => ({
  opType,
  input,
  output,
  attribute,
  name: output[0],
});
const floats = (name: string, dims: number[], values: number[]): onnx.ITensorProto => ({ name, dims, dataType: FLOAT, floatData: values });

/** A uint8 tensor of `length` bytes whose data onnxruntime reads from `location` (relative to the working directory). */
export const externalTensor = (name: string, location: string, length: number): onnx.ITensorProto => ({
  name,
  dims: [length],
  dataType: UINT8,
  dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
  externalData: [
    { key: 'location', value: location },
    { key: 'offset', value: '0' },
    { key: 'length', value: String(length) },
  ],
});

export function encodeModel(graph: onnx.IGraphProto, extra: Partial<onnx.IModelProto> = {}): Uint8Array {
  return onnx.ModelProto.encode({ irVersion: 8, opsetImport: [{ domain: '', version: 13 }], producerName: 'verdict-test', graph, ...extra }).finish();
}

/** Y (int32 [length]) = the first `length` bytes of the file at `location`: raw inference would return them. */
export function externalDataGraph(location: string, length: number): onnx.IGraphProto {
  return {
    name: 'reads_a_file',
    input: [valueInfo('X', FLOAT, [1])],
    output: [valueInfo('Y', INT32, [length])],
    initializer: [externalTensor('W', location, length)],
    node: [node('Cast', ['W'], ['Y'], [{ name: 'to', type: AttributeType.INT, i: INT32 }])],
  };
}

export const buildExternalDataModel = (location: string, length: number): Uint8Array => encodeModel(externalDataGraph(location, length));

/** p = sigmoid(X·W), probabilities = [1 - p, p]; declares [N, 2] but its other parts decide what it really does. */
function decisionModel(features: readonly string[], graph: Omit<onnx.IGraphProto, 'name'>): Uint8Array {
  return encodeModel(
    { name: 'misfit', ...graph },
    { metadataProps: [{ key: VERDICT_METADATA_KEYS.features, value: JSON.stringify(features) }, { key: VERDICT_METADATA_KEYS.scoreOutput, value: 'probabilities:1' }] },
  );
}
const twoColumns = (p: string): onnx.INodeProto[] => [
  node('Sub', ['one', p], ['q']),
  node('Concat', ['q', p], ['probabilities'], [{ name: 'axis', type: AttributeType.INT, i: 1 }]),
];

/** Scores the mean of the batch: probabilities is [1, 2] whatever N is (a single-row run cannot tell). */
export function buildBatchIgnoringModel(features: readonly string[]): Uint8Array {
  return decisionModel(features, {
    input: [valueInfo('X', FLOAT, ['N', features.length])],
    output: [valueInfo('probabilities', FLOAT, [1, 2])],
    initializer: [floats('one', [1], [1]), floats('W', [features.length, 1], features.map(() => 0.01))],
    node: [
      node('ReduceMean', ['X'], ['m'], [{ name: 'axes', type: AttributeType.INTS, ints: [0] }, { name: 'keepdims', type: AttributeType.INT, i: 1 }]),
      node('MatMul', ['m', 'W'], ['z']),
      node('Sigmoid', ['z'], ['p']),
      ...twoColumns('p'),
    ],
  });
}

/** Declares input [N, M] but multiplies by a [width, 1] weight: any other number of columns fails at run time. */
export function buildFixedWidthModel(features: readonly string[], width: number): Uint8Array {
  return decisionModel(features, {
    input: [valueInfo('X', FLOAT, ['N', 'M'])],
    output: [valueInfo('probabilities', FLOAT, ['N', 2])],
    initializer: [floats('one', [1], [1]), floats('W', [width, 1], Array.from({ length: width }, () => 0.1))],
    node: [node('MatMul', ['X', 'W'], ['z']), node('Sigmoid', ['z'], ['p']), ...twoColumns('p')],
  });
}

/** Declares probabilities [N, 2] but returns sigmoid(X·W) alone, [N, 1]: column 1 does not exist at run time. */
export function buildOneColumnModel(features: readonly string[]): Uint8Array {
  return decisionModel(features, {
    input: [valueInfo('X', FLOAT, ['N', features.length])],
    output: [valueInfo('probabilities', FLOAT, ['N', 2])],
    initializer: [floats('W', [features.length, 1], features.map(() => 0.1))],
    node: [node('MatMul', ['X', 'W'], ['z']), node('Sigmoid', ['z'], ['probabilities'])],
  });
}

/** p = X0 / X0: NaN for a row whose first feature is 0 (as at a zero baseline). */
export function buildNanAtZeroModel(features: readonly string[]): Uint8Array {
  return decisionModel(features, {
    input: [valueInfo('X', FLOAT, ['N', features.length])],
    output: [valueInfo('probabilities', FLOAT, ['N', 2])],
    initializer: [floats('one', [1], [1]), { name: 'first', dims: [1], dataType: onnx.TensorProto.DataType.INT64, int64Data: [0] }],
    node: [node('Gather', ['X', 'first'], ['x0'], [{ name: 'axis', type: AttributeType.INT, i: 1 }]), node('Div', ['x0', 'x0'], ['p']), ...twoColumns('p')],
  });
}

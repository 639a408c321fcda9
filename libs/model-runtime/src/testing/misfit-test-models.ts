import { onnx } from 'onnx-proto';

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

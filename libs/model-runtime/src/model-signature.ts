import { onnx } from 'onnx-proto';
import type { ModelSignature, TensorSpec } from '@verdict/domain';
import { ModelLoadError, ModelLoadErrorCode } from './model-runtime.errors';

/** ONNX TensorProto.DataType → the element type names Verdict records (onnxruntime's tensor type names). */
const ELEMENT_TYPES: Record<number, string> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string', 9: 'bool',
  10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64', 14: 'complex64', 15: 'complex128', 16: 'bfloat16',
};

const toNumber = (v: number | { toString(): string } | null | undefined): number => (v == null ? 0 : typeof v === 'number' ? v : Number(v.toString()));

function dims(shape: onnx.ITensorShapeProto | null | undefined): (number | string | null)[] {
  return (shape?.dim ?? []).map((d) => (d.dimParam ? d.dimParam : d.dimValue != null && toNumber(d.dimValue) > 0 ? toNumber(d.dimValue) : null));
}

/** A readable type: 'float32' for a tensor, 'seq(map(int64,tensor(float32)))' for sklearn's ZipMap, … */
export function describeType(type: onnx.ITypeProto | null | undefined): string {
  if (!type) return 'unknown';
  if (type.tensorType) return ELEMENT_TYPES[type.tensorType.elemType ?? 0] ?? `type${type.tensorType.elemType}`;
  if (type.sequenceType) return `seq(${describeType(type.sequenceType.elemType)})`;
  if (type.mapType) return `map(${ELEMENT_TYPES[type.mapType.keyType ?? 0] ?? 'unknown'},${describeNested(type.mapType.valueType)})`;
  if (type.optionalType) return `optional(${describeType(type.optionalType.elemType)})`;
  if (type.sparseTensorType) return `sparse(${ELEMENT_TYPES[type.sparseTensorType.elemType ?? 0] ?? 'unknown'})`;
  return 'unknown';
}

const describeNested = (type: onnx.ITypeProto | null | undefined): string => (type?.tensorType ? `tensor(${describeType(type)})` : describeType(type));

function spec(value: onnx.IValueInfoProto): TensorSpec {
  const type = value.type;
  return { name: value.name ?? '', elementType: describeType(type), shape: type?.tensorType ? dims(type.tensorType.shape) : [] };
}

/** The graph's inputs (without initializers: IR < 4 models list their weights as inputs) and outputs. */
export function signatureOf(model: onnx.IModelProto): ModelSignature {
  const graph = model.graph ?? {};
  const initializers = new Set((graph.initializer ?? []).map((i) => i.name));
  return {
    inputs: (graph.input ?? []).filter((i) => !initializers.has(i.name ?? '')).map(spec),
    outputs: (graph.output ?? []).map(spec),
  };
}

export function decodeModel(bytes: Uint8Array, source = 'model'): onnx.ModelProto {
  try {
    return onnx.ModelProto.decode(bytes);
  } catch (cause) {
    throw new ModelLoadError(ModelLoadErrorCode.InvalidModel, source, `not a valid ONNX model (protobuf decoding failed: ${(cause as Error).message})`, { cause });
  }
}

/** The signature of the model in `bytes`, read from its graph (what the registry records). */
export function readModelSignature(bytes: Uint8Array, source?: string): ModelSignature {
  return signatureOf(decodeModel(bytes, source));
}

/** Whether a spec is a tensor (onnxruntime-node can only feed and return tensors). */
export const isTensorSpec = (t: TensorSpec): boolean => Object.values(ELEMENT_TYPES).includes(t.elementType);

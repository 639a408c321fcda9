import * as ort from 'onnxruntime-node';
import type { OipTensor, TensorSpec } from '@verdict/domain';

/** A request the model cannot take as given: answered 400 `{ error }` by the protocol layer. */
export class InferenceInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InferenceInputError';
  }
}

type OrtType = 'float32' | 'float64' | 'int32' | 'int64' | 'bool' | 'string';

/** The OIP datatypes Verdict serves, and the onnxruntime element type of each. */
const BY_DATATYPE: Record<string, OrtType> = { FP32: 'float32', FP64: 'float64', INT32: 'int32', INT64: 'int64', BOOL: 'bool', BYTES: 'string' };
const BY_ELEMENT: Record<string, string> = Object.fromEntries(Object.entries(BY_DATATYPE).map(([d, e]) => [e, d]));

/** The OIP datatype of a model's element type, or undefined when Verdict does not serve it. */
export const oipDatatypeOf = (elementType: string): string | undefined => BY_ELEMENT[elementType];

const NON_FINITE: Record<string, number> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY };

function flatten(data: readonly unknown[], name: string): unknown[] {
  const out: unknown[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (Array.isArray(v)) {
      if (depth > 16) throw new InferenceInputError(`input "${name}": data is nested too deeply`);
      for (const x of v) walk(x, depth + 1);
    } else out.push(v);
  };
  walk(data, 0);
  return out;
}

function checkShape(spec: TensorSpec, shape: readonly number[]): void {
  if (spec.shape.length > 0 && spec.shape.length !== shape.length) {
    throw new InferenceInputError(`input "${spec.name}" has rank ${spec.shape.length} ([${spec.shape.map((d) => d ?? '?').join(', ')}]); got shape [${shape.join(', ')}]`);
  }
  spec.shape.forEach((d, i) => {
    if (typeof d === 'number' && shape[i] !== d) {
      throw new InferenceInputError(`input "${spec.name}" needs ${d} at dimension ${i} ([${spec.shape.map((x) => x ?? '?').join(', ')}]); got shape [${shape.join(', ')}]`);
    }
  });
}

function float(v: unknown, name: string, i: number): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v in NON_FINITE) return NON_FINITE[v];
  throw new InferenceInputError(`input "${name}": element ${i} must be a number (or "NaN", "Infinity", "-Infinity"), got ${JSON.stringify(v)}`);
}

function int64(v: unknown, name: string, i: number): bigint {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^-?\d{1,19}$/.test(v)) {
    const b = BigInt(v);
    if (b >= -(2n ** 63n) && b < 2n ** 63n) return b;
  }
  throw new InferenceInputError(`input "${name}": element ${i} must be a 64-bit integer (a decimal string beyond 2^53), got ${JSON.stringify(v)}`);
}

function int32(v: unknown, name: string, i: number): number {
  if (typeof v === 'number' && Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31) return v;
  throw new InferenceInputError(`input "${name}": element ${i} must be a 32-bit integer, got ${JSON.stringify(v)}`);
}

/** Decodes one request input for the model input `spec` into an onnxruntime tensor; throws InferenceInputError. */
export function decodeOipTensor(input: OipTensor, spec: TensorSpec): ort.Tensor {
  const type = BY_DATATYPE[input.datatype];
  if (type === undefined) throw new InferenceInputError(`input "${input.name}": datatype ${input.datatype} is not one of ${Object.keys(BY_DATATYPE).join(', ')}`);
  if (type !== spec.elementType) {
    throw new InferenceInputError(`input "${input.name}" expects ${oipDatatypeOf(spec.elementType) ?? spec.elementType}, got ${input.datatype}`);
  }
  if (!input.shape.every((d) => Number.isInteger(d) && d >= 0)) throw new InferenceInputError(`input "${input.name}": shape must be non-negative integers`);
  checkShape(spec, input.shape);
  const values = flatten(input.data, input.name);
  const size = input.shape.reduce((a, b) => a * b, 1);
  if (values.length !== size) {
    throw new InferenceInputError(`input "${input.name}": shape [${input.shape.join(', ')}] holds ${size} values, data has ${values.length}`);
  }
  const dims = [...input.shape];
  switch (type) {
    case 'float32':
      return new ort.Tensor('float32', Float32Array.from(values, (v, i) => float(v, input.name, i)), dims);
    case 'float64':
      return new ort.Tensor('float64', Float64Array.from(values, (v, i) => float(v, input.name, i)), dims);
    case 'int32':
      return new ort.Tensor('int32', Int32Array.from(values, (v, i) => int32(v, input.name, i)), dims);
    case 'int64':
      return new ort.Tensor('int64', BigInt64Array.from(values, (v, i) => int64(v, input.name, i)), dims);
    case 'bool':
      return new ort.Tensor('bool', Uint8Array.from(values, (v, i) => {
        // Booleans only: 0/1 would be a silent guess about what the caller meant.
        if (typeof v !== 'boolean') throw new InferenceInputError(`input "${input.name}": element ${i} must be true or false, got ${JSON.stringify(v)}`);
        return v ? 1 : 0;
      }), dims);
    case 'string':
      return new ort.Tensor('string', values.map((v, i) => {
        if (typeof v !== 'string') throw new InferenceInputError(`input "${input.name}": element ${i} must be a string, got ${JSON.stringify(v)}`);
        return v;
      }), dims);
  }
}

const encodeFloat = (x: number): number | string => (Number.isFinite(x) ? x : Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity');

/** Encodes an output tensor in OIP JSON: flat row-major data; int64 beyond 2^53 as decimal strings. */
export function encodeOipTensor(name: string, tensor: ort.Tensor): OipTensor {
  const datatype = oipDatatypeOf(tensor.type);
  if (datatype === undefined) throw new InferenceInputError(`output "${name}" has element type ${tensor.type}, which Verdict does not serve over the protocol`);
  const shape = tensor.dims.map(Number);
  const raw = tensor.data as ArrayLike<unknown>;
  let data: unknown[];
  switch (tensor.type) {
    case 'float32':
    case 'float64':
      data = Array.from(raw as ArrayLike<number>, encodeFloat);
      break;
    case 'int64':
      data = Array.from(raw as ArrayLike<bigint>, (b) => (b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b.toString()));
      break;
    case 'bool':
      data = Array.from(raw as ArrayLike<number>, (b) => b !== 0);
      break;
    default:
      data = Array.from(raw);
  }
  return { name, shape, datatype, data };
}

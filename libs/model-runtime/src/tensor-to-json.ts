import type { Tensor } from 'onnxruntime-node';
import type { RawTensor } from './model-runtime.port';

type JsonScalar = number | string | boolean;

/**
 * JSON has no NaN/Infinity and loses int64 precision beyond 2^53, so such values become strings
 * ("NaN", "Infinity", "-Infinity", decimal int64). float32 values stay numbers: a float32 widened to a
 * double is exact and round-trips through JSON.
 */
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);

export function toJsonScalar(value: unknown): JsonScalar {
  if (typeof value === 'bigint') return value <= MAX_SAFE && value >= MIN_SAFE ? Number(value) : value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  return String(value);
}

/** The slice of an output that belongs to input row `row` of `rows`, as a JSON-safe RawTensor. */
export function rowToJson(tensor: Tensor, rows: number, row: number): RawTensor {
  const dims = tensor.dims.map(Number);
  const data = tensor.data as ArrayLike<unknown>;
  // Outputs without a leading batch dimension (rare, e.g. constants) are recorded whole.
  const batched = dims.length > 0 && dims[0] === rows;
  const rowDims = batched ? [1, ...dims.slice(1)] : dims;
  const count = batched ? dims.slice(1).reduce((a, b) => a * b, 1) : data.length;
  const start = batched ? row * count : 0;
  const out: JsonScalar[] = new Array<JsonScalar>(count);
  const isBool = tensor.type === 'bool';
  for (let i = 0; i < count; i++) out[i] = isBool ? Boolean(data[start + i]) : toJsonScalar(data[start + i]);
  return { data: out, dims: rowDims, type: tensor.type }; // keys in canonical order: recorded in events
}

import { Tensor } from 'onnxruntime-node';
import { rowToJson, toJsonScalar } from './tensor-to-json';

describe('tensor-to-json', () => {
  it('keeps int64 as numbers while safe and as decimal strings beyond 2^53', () => {
    expect(toJsonScalar(BigInt(42))).toBe(42);
    expect(toJsonScalar(BigInt(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(toJsonScalar(BigInt(Number.MAX_SAFE_INTEGER) + BigInt(1))).toBe('9007199254740992');
    expect(toJsonScalar(-(BigInt(2) ** BigInt(63)))).toBe('-9223372036854775808');
  });

  it('writes non-finite floats as strings because JSON has no NaN/Infinity', () => {
    expect([NaN, Infinity, -Infinity].map(toJsonScalar)).toEqual(['NaN', 'Infinity', '-Infinity']);
  });

  it('keeps the exact float32 value (widened to a double) and survives JSON', () => {
    const f = new Float32Array([0.1, 1 / 3]);
    const raw = rowToJson(new Tensor('float32', f, [1, 2]), 1, 0);
    expect(raw.data).toEqual([f[0], f[1]]);
    expect(Math.fround(JSON.parse(JSON.stringify(raw.data[0])) as number)).toBe(f[0]);
  });

  it('slices the first row of a batched output', () => {
    const t = new Tensor('float32', Float32Array.from([1, 2, 3, 4, 5, 6]), [3, 2]);
    expect(rowToJson(t, 3, 0)).toEqual({ type: 'float32', dims: [1, 2], data: [1, 2] });
    const labels = new Tensor('int64', BigInt64Array.from([BigInt(7), BigInt(8)]), [2]);
    expect(rowToJson(labels, 2, 0)).toEqual({ type: 'int64', dims: [1], data: [7] });
  });

  it('keeps an output whole when it has no leading batch dimension', () => {
    const t = new Tensor('float32', Float32Array.from([1, 2, 3]), [3]);
    expect(rowToJson(t, 2, 0)).toEqual({ type: 'float32', dims: [3], data: [1, 2, 3] });
  });

  it('turns bool and string tensors into booleans and strings', () => {
    expect(rowToJson(new Tensor('bool', Uint8Array.from([1, 0]), [2]), 2, 0).data).toEqual([true]);
    expect(rowToJson(new Tensor('string', ['a', 'b'], [2]), 2, 0).data).toEqual(['a']);
  });
});

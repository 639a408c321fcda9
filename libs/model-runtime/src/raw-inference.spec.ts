import { readFileSync } from 'node:fs';
import { sharedDataAvailable, sharedDataPath } from '../../../test/support/shared-data';
import path from 'node:path';
import { isModelLoadError } from './model-runtime.errors';
import { readModelSignature } from './model-signature';
import { decodeOipTensor, encodeOipTensor, InferenceInputError } from './oip-tensor-codec';
import { RawInferenceSession } from './raw-inference-session';
import { rewriteZipMap } from './zipmap-rewrite';

const EXTERNAL = sharedDataPath('onnx-external');
const DEMO = path.resolve(__dirname, '../../../models/fraud-demo/1.0.0/model.onnx');
const model = (p: string): Buffer => readFileSync(path.join(EXTERNAL, p));

describe('OIP v2 tensor codec', () => {
  const fp32 = { name: 'x', elementType: 'float32', shape: ['N', 2] };

  it('decodes flat and nested data, with non-finite floats as strings, and encodes them back', () => {
    const flat = decodeOipTensor({ name: 'x', shape: [2, 2], datatype: 'FP32', data: [1, 'NaN', 'Infinity', '-Infinity'] }, fp32);
    const nested = decodeOipTensor({ name: 'x', shape: [2, 2], datatype: 'FP32', data: [[1, 'NaN'], ['Infinity', '-Infinity']] }, fp32);
    expect(Array.from(flat.data as Float32Array)).toEqual(Array.from(nested.data as Float32Array));
    expect(encodeOipTensor('y', flat)).toEqual({ name: 'y', shape: [2, 2], datatype: 'FP32', data: [1, 'NaN', 'Infinity', '-Infinity'] });
  });

  it('keeps int64 exact: numbers when safe, decimal strings beyond 2^53, both ways', () => {
    const spec = { name: 'i', elementType: 'int64', shape: [3] };
    const t = decodeOipTensor({ name: 'i', shape: [3], datatype: 'INT64', data: [1, '9007199254740993', -5] }, spec);
    expect(Array.from(t.data as BigInt64Array)).toEqual([1n, 9007199254740993n, -5n]);
    expect(encodeOipTensor('i', t).data).toEqual([1, '9007199254740993', -5]);
  });

  it('refuses what does not fit, naming the input', () => {
    const bad: [unknown, RegExp][] = [
      [{ name: 'x', shape: [1, 2], datatype: 'INT64', data: [1, 2] }, /input "x" expects FP32, got INT64/],
      [{ name: 'x', shape: [1, 3], datatype: 'FP32', data: [1, 2, 3] }, /needs 2 at dimension 1/],
      [{ name: 'x', shape: [2, 2], datatype: 'FP32', data: [1, 2, 3] }, /holds 4 values, data has 3/],
      [{ name: 'x', shape: [1, 2], datatype: 'FP32', data: [1, 'one'] }, /element 1 must be a number/],
      [{ name: 'x', shape: [1, 2], datatype: 'FP16', data: [1, 2] }, /datatype FP16 is not one of/],
    ];
    for (const [input, message] of bad) expect(() => decodeOipTensor(input as never, fp32)).toThrow(message);
    expect(() => decodeOipTensor({ name: 'b', shape: [1], datatype: 'BOOL', data: [1] }, { name: 'b', elementType: 'bool', shape: [1] })).toThrow(InferenceInputError);
  });
});

describe('RawInferenceSession on the demo model', () => {
  let session: RawInferenceSession;
  beforeAll(async () => (session = await RawInferenceSession.load(readFileSync(DEMO))));
  afterAll(async () => session.close());

  it('reads the signature from the graph and runs requested outputs only', async () => {
    expect(session.signature).toEqual({
      inputs: [{ name: 'input', elementType: 'float32', shape: ['N', 19] }],
      outputs: [
        { name: 'label', elementType: 'int64', shape: ['N'] },
        { name: 'probabilities', elementType: 'float32', shape: ['N', 2] },
      ],
    });
    const out = await session.infer([{ name: 'input', shape: [2, 19], datatype: 'FP32', data: new Array(38).fill(0) }], ['probabilities']);
    expect(out.map((o) => [o.name, o.datatype, o.shape])).toEqual([['probabilities', 'FP32', [2, 2]]]);
  });

  it('refuses unknown, missing and duplicated inputs, and unknown outputs', async () => {
    const input = { name: 'input', shape: [1, 19], datatype: 'FP32', data: new Array(19).fill(0) };
    await expect(session.infer([{ ...input, name: 'nope' }])).rejects.toThrow(/no input "nope"/);
    await expect(session.infer([])).rejects.toThrow(/missing input\(s\): input/);
    await expect(session.infer([input, input])).rejects.toThrow(/given twice/);
    await expect(session.infer([input], ['nope'])).rejects.toThrow(/no output "nope"/);
  });
});

const external = sharedDataAvailable('raw inference on the external models', 'onnx-external');

(external ? describe : describe.skip)('raw inference on converter-made models (../shared/data/onnx-external)', () => {
  it('rewrites ZipMap so every output can be fetched; rf-iris probabilities equal the upstream values', async () => {
    const original = model('skl2onnx-rf-iris-zipmap/model.onnx');
    const rewrite = rewriteZipMap(original);
    expect(rewrite).toMatchObject({ rewritten: true, outputs: ['output_probability'] });
    expect(rewriteZipMap(original).bytes).toEqual(rewrite.bytes); // deterministic
    const session = await RawInferenceSession.load(rewrite.bytes);
    try {
      const expected = JSON.parse(readFileSync(path.join(EXTERNAL, 'skl2onnx-rf-iris-zipmap/expected.json'), 'utf8')) as { inputs: { values: number[] }[]; outputs: { name: string; values: unknown[] }[] };
      const [labels, probabilities] = await session.infer([{ name: 'X', shape: [6, 4], datatype: 'FP32', data: expected.inputs[0].values }]);
      expect(labels.data).toEqual(expected.outputs[0].values);
      expect(probabilities).toMatchObject({ name: 'output_probability', datatype: 'FP32', shape: [6, 3] });
      (expected.outputs[1].values as Record<string, number>[]).forEach((m, r) =>
        [0, 1, 2].forEach((c) => expect(Math.abs((probabilities.data[r * 3 + c] as number) - m[String(c)])).toBeLessThanOrEqual(1e-6)),
      );
    } finally {
      await session.close();
    }
  });

  it('serves the other ZipMap models with probability rows that sum to 1', async () => {
    const cases: [string, { name: string; shape: number[]; datatype: string; data: unknown[] }[]][] = [
      ['skl2onnx-logreg-iris-zipmap/model.onnx', [{ name: 'X', shape: [2, 2], datatype: 'FP32', data: [5.1, 3.5, 6.2, 2.9] }]],
      ['skl2onnx-lgbm-zipmap/model.onnx', [{ name: 'input', shape: [2, 2], datatype: 'FP32', data: [5.1, 3.5, 6.2, 2.9] }]],
      [
        'skl2onnx-titanic/pipeline_titanic.onnx',
        [
          { name: 'pclass', shape: [2, 1], datatype: 'BYTES', data: ['1', '3'] },
          { name: 'sex', shape: [2, 1], datatype: 'BYTES', data: ['female', 'male'] },
          { name: 'age', shape: [2, 1], datatype: 'FP32', data: [29, 'NaN'] },
          { name: 'fare', shape: [2, 1], datatype: 'FP32', data: [211.3375, 8.05] },
          { name: 'embarked', shape: [2, 1], datatype: 'BYTES', data: ['S', 'S'] },
        ],
      ],
    ];
    for (const [file, inputs] of cases) {
      const session = await RawInferenceSession.load(rewriteZipMap(model(file)).bytes);
      try {
        const probabilities = (await session.infer(inputs)).find((o) => o.name === 'output_probability')!;
        const width = probabilities.shape[1];
        for (let r = 0; r < 2; r++) {
          const sum = (probabilities.data.slice(r * width, (r + 1) * width) as number[]).reduce((a, b) => a + b, 0);
          expect({ file, sum: Math.round(sum * 1e5) / 1e5 }).toEqual({ file, sum: 1 });
        }
      } finally {
        await session.close();
      }
    }
  });

  it('feeds int64 and string inputs (titanic without ZipMap) and reads the catalog signature', async () => {
    const bytes = model('skl2onnx-titanic/pipeline_titanic_nozipmap.onnx');
    expect(readModelSignature(bytes).inputs.map((i) => `${i.name}:${i.elementType}`)).toEqual(['pclass:int64', 'sex:string', 'age:float32', 'fare:float32', 'embarked:string']);
    const session = await RawInferenceSession.load(bytes);
    try {
      const out = await session.infer([
        { name: 'pclass', shape: [2, 1], datatype: 'INT64', data: [1, 3] },
        { name: 'sex', shape: [2, 1], datatype: 'BYTES', data: ['female', 'male'] },
        { name: 'age', shape: [2, 1], datatype: 'FP32', data: [29, 'NaN'] },
        { name: 'fare', shape: [2, 1], datatype: 'FP32', data: [211.3375, 8.05] },
        { name: 'embarked', shape: [2, 1], datatype: 'BYTES', data: ['S', 'S'] },
      ]);
      expect(out.find((o) => o.name === 'label')!.data).toEqual([1, 0]); // as the catalog's smoke check
    } finally {
      await session.close();
    }
  });

  it('fails to load the opset-6 model with onnxruntime’s own message', async () => {
    const error = await RawInferenceSession.load(model('onnx-pytorch-linear-opset6-unsupported/model.onnx')).catch((e: unknown) => e);
    expect(isModelLoadError(error)).toBe(true);
    expect((error as Error).message).toMatch(/Could not find an implementation for Gemm\(6\)/);
    // Its weights are initializers listed as graph inputs (IR 3): they are not inputs of the signature.
    expect(readModelSignature(model('onnx-pytorch-linear-opset6-unsupported/model.onnx')).inputs.map((i) => i.name)).toEqual(['0']);
  });

  it('leaves a model without ZipMap byte for byte as it is', async () => {
    const bytes = model('onnxmltools-xgb-classifier/model.onnx');
    expect(rewriteZipMap(bytes)).toEqual({ bytes, rewritten: false, outputs: [] });
  });
});


import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startEngine, type RunningEngine } from '../support/engine-harness';
import { register } from '../support/model-fixtures';
import { sharedDataAvailable, sharedDataPath } from '../support/shared-data';

const EXTERNAL = sharedDataPath('onnx-external');
const DATATYPE: Record<string, string> = { float32: 'FP32', float64: 'FP64', int64: 'INT64', int32: 'INT32', string: 'BYTES', bool: 'BOOL' };

interface Expected {
  readonly inputs: { name?: string; onnx_name?: string; dtype: string; shape: number[]; values: unknown[] }[];
  readonly outputs: { name?: string; onnx_name?: string; values: unknown[] }[];
}

/** The catalog's comparison for each model (CATALOG.md, "matches expected"). */
const CASES: { folder: string; file: string; tolerance: number }[] = [
  { folder: 'onnxmltools-xgb-classifier', file: 'io.json', tolerance: 0 },
  { folder: 'onnxmltools-xgb-regressor', file: 'io.json', tolerance: 0 },
  { folder: 'hummingbird-lgbm-classifier', file: 'io.json', tolerance: 1.5e-8 },
  { folder: 'tf2onnx-keras-mlp', file: 'io.json', tolerance: 6e-8 },
  { folder: 'onnx-node-tree-ensemble-single-tree', file: 'expected.json', tolerance: 0 },
  { folder: 'onnx-node-tree-ensemble-set-membership', file: 'expected.json', tolerance: 0 },
  { folder: 'onnx-node-label-encoder-string-int', file: 'expected.json', tolerance: 0 },
  { folder: 'onnx-node-gemm-vector-bias', file: 'expected.json', tolerance: 0 },
  { folder: 'onnx-node-sigmoid', file: 'expected.json', tolerance: 6e-8 },
];

const close = (got: unknown, want: unknown, tolerance: number): boolean =>
  typeof want === 'number' && typeof got === 'number' ? Math.abs(got - want) <= tolerance : got === want;

const available = sharedDataAvailable('the external models over /v2', 'onnx-external');

describe('Open Inference Protocol v2', () => {
  let engine: RunningEngine;
  beforeAll(async () => (engine = await startEngine()));
  afterAll(async () => engine?.stop());

  const infer = (p: string, body: unknown) => engine.post(`/v2/models/${p}/infer`, body);

  it('serves server metadata and health as the protocol says', async () => {
    expect(await (await engine.get('/v2')).json()).toMatchObject({ name: 'verdict', version: expect.any(String), extensions: [] });
    expect(await (await engine.get('/v2/health/live')).json()).toEqual({ live: true });
    expect(await (await engine.get('/v2/health/ready')).json()).toEqual({ ready: true });
  });

  it('serves the champion for a request without a version; metadata has -1 for dynamic dims', async () => {
    const meta = await (await engine.get('/v2/models/fraud-demo')).json();
    // The champion of a fresh start: demo 2.0.0, 19 request and 17 history features.
    expect(meta).toMatchObject({ name: 'fraud-demo', platform: 'onnxruntime_onnx', inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 36] }] });
    const row = new Array(36).fill(0);
    const res = await infer('fraud-demo', { inputs: [{ name: 'input', shape: [1, 36], datatype: 'FP32', data: row }], outputs: [{ name: 'probabilities' }] });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ model_name: 'fraud-demo', model_version: '2.0.0', id: expect.any(String), outputs: [{ name: 'probabilities', datatype: 'FP32', shape: [1, 2] }] });
    expect(body.outputs).toHaveLength(1); // requested outputs honoured
  });

  it('records every call before answering; the same id again answers the recording; another body with it is a 409', async () => {
    const body = { id: `oip-${Date.now()}`, inputs: [{ name: 'input', shape: [1, 19], datatype: 'FP32', data: [new Array(19).fill(1)] }] };
    const first = await infer('fraud-demo/versions/1.0.0', body);
    expect(first.status).toBe(200);
    const answer = await first.json();
    const [event] = await engine.store.readStream(`inference-${body.id}`);
    expect(event).toMatchObject({ type: 'InferenceMade', data: { inferenceId: body.id, model: { name: 'fraud-demo', version: '1.0.0' } } });
    expect(event.data.outputs).toEqual(answer.outputs);
    const again = await infer('fraud-demo/versions/1.0.0', body);
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(answer);
    const other = await infer('fraud-demo/versions/1.0.0', { ...body, inputs: [{ ...body.inputs[0], data: [new Array(19).fill(2)] }] });
    expect(other.status).toBe(409);
    expect(Object.keys(await other.json())).toEqual(['error']);
  });

  it('answers errors as { error } with a 4xx, recording nothing', async () => {
    const bad: [string, unknown, number][] = [
      ['fraud-demo', { inputs: [{ name: 'input', shape: [1, 19], datatype: 'INT64', data: new Array(19).fill(0) }] }, 400],
      ['fraud-demo', { inputs: [{ name: 'input', shape: [1, 19], datatype: 'FP32', data: [1, 2] }] }, 400],
      ['fraud-demo', { inputs: [{ name: 'nope', shape: [1, 19], datatype: 'FP32', data: new Array(19).fill(0) }] }, 400],
      ['fraud-demo', { inputs: [{ name: 'input', shape: [1, 19], datatype: 'FP32', data: new Array(19).fill(0) }], outputs: [{ name: 'nope' }] }, 400],
      ['no-such-model', { inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: [0] }] }, 404],
      ['fraud-demo/versions/9', { inputs: [{ name: 'input', shape: [1, 19], datatype: 'FP32', data: new Array(19).fill(0) }] }, 404],
    ];
    const head = await engine.store.headPosition();
    for (const [p, body, status] of bad) {
      const res = await infer(p, body);
      expect({ p, status: res.status }).toEqual({ p, status });
      const json = await res.json();
      expect(typeof json.error).toBe('string');
    }
    const malformed = await engine.post('/v2/models/fraud-demo/infer', '{"inputs": [');
    expect(malformed.status).toBe(400);
    expect(typeof (await malformed.json()).error).toBe('string');
    expect(await engine.store.headPosition()).toBe(head);
  });

  (available ? it : it.skip)('gives the outputs the catalog expects for every external model with expected values', async () => {
    for (const { folder, file, tolerance } of CASES) {
      expect((await register(engine, folder, '1', readFileSync(path.join(EXTERNAL, folder, 'model.onnx')))).status).toBe(201);
      const expected = JSON.parse(readFileSync(path.join(EXTERNAL, folder, file), 'utf8')) as Expected;
      const inputs = expected.inputs.map((i) => ({ name: i.onnx_name ?? i.name, shape: i.shape, datatype: DATATYPE[i.dtype], data: i.values }));
      const outputs = expected.outputs.map((o) => ({ name: (o.onnx_name ?? o.name)! }));
      const res = await infer(`${folder}/versions/1`, { inputs, outputs });
      const body = await res.json();
      expect({ folder, status: res.status, error: body.error }).toEqual({ folder, status: 200, error: undefined });
      for (const want of expected.outputs) {
        const got = body.outputs.find((o: { name: string }) => o.name === (want.onnx_name ?? want.name));
        const values: unknown[] = got.data.flat(Infinity);
        expect({ folder, n: values.length }).toEqual({ folder, n: want.values.length });
        const off = values.map((v, i) => [v, want.values[i]]).filter(([g, w]) => !close(g, w, tolerance));
        expect({ folder, off }).toEqual({ folder, off: [] });
      }
    }
  });

  (available ? it : it.skip)('serves a ZipMap model through its rewritten graph: probabilities as a float tensor', async () => {
    const folder = 'skl2onnx-rf-iris-zipmap';
    expect((await register(engine, folder, '1', readFileSync(path.join(EXTERNAL, folder, 'model.onnx')))).status).toBe(201);
    const expected = JSON.parse(readFileSync(path.join(EXTERNAL, folder, 'expected.json'), 'utf8')) as { inputs: Expected['inputs']; outputs: { name: string; values: unknown[] }[] };
    const res = await infer(folder, { inputs: [{ name: 'X', shape: [6, 4], datatype: 'FP32', data: expected.inputs[0].values }] });
    const body = await res.json();
    expect(res.status).toBe(200);
    const labels = body.outputs.find((o: { name: string }) => o.name === 'output_label');
    const probabilities = body.outputs.find((o: { name: string }) => o.name === 'output_probability');
    expect(labels.data).toEqual(expected.outputs.find((o) => o.name === 'output_label')!.values);
    expect(probabilities).toMatchObject({ datatype: 'FP32', shape: [6, 3] });
    const maps = expected.outputs.find((o) => o.name === 'output_probability')!.values as Record<string, number>[];
    maps.forEach((m, row) => [0, 1, 2].forEach((c) => expect(Math.abs(probabilities.data[row * 3 + c] - m[String(c)])).toBeLessThanOrEqual(1e-6)));
  });
});

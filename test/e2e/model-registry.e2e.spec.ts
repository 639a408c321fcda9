import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startEngine, type RunningEngine } from '../support/engine-harness';
import { demoModelBytes, register } from '../support/model-fixtures';
import { sharedDataAvailable, sharedDataPath } from '../support/shared-data';
import { e2eTopologies } from '../support/topologies';

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const EXTERNAL = sharedDataPath('onnx-external');
const PROBLEM = 'application/problem+json';

describe.each(e2eTopologies())('model registry over HTTP ($name)', (topology) => {
  let engine: RunningEngine;

  beforeAll(async () => {
    await topology.setUp?.();
    engine = await startEngine(topology.env());
  });
  afterAll(async () => {
    await engine?.stop();
    await topology.tearDown?.();
  });

  it('registers a version (201), answers the same upload again with the same body (200), and refuses other content (409)', async () => {
    const bytes = demoModelBytes();
    const manifest = { description: 'the demo model again', metrics: { rocAuc: 0.809 }, trainingData: { uri: 'sim://seed-42', sha256: 'a'.repeat(64) } };
    const first = await register(engine, 'fraud-demo', '3.0.0', bytes, manifest);
    expect(first.status).toBe(201);
    const body = await first.json();
    expect(body).toMatchObject({
      name: 'fraud-demo',
      version: '3.0.0',
      sha256: sha256(bytes),
      servedSha256: sha256(bytes),
      sizeBytes: bytes.length,
      rewrites: [],
      signature: { inputs: [{ name: 'input', elementType: 'float32', shape: ['N', 19] }] },
      manifest: { ...manifest, features: expect.arrayContaining(['amount']), scoreOutput: { name: 'probabilities', column: 1 } },
      registeredAt: expect.any(String),
    });
    expect(body.signature.outputs.map((o: { name: string }) => o.name)).toEqual(['label', 'probabilities']);

    const again = await register(engine, 'fraud-demo', '3.0.0', bytes, manifest, true); // manifest as a file part this time
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(body);

    const other = await register(engine, 'fraud-demo', '3.0.0', bytes, { ...manifest, description: 'changed' });
    expect(other.status).toBe(409);
    expect(other.headers.get('content-type')).toContain(PROBLEM);
    expect(await other.json()).toMatchObject({ type: '/problems/model-version-exists', differs: ['manifest'] });
  });

  it('serves the exact bytes with their sha256, and the metadata with where the version is deployed', async () => {
    const bytes = demoModelBytes();
    await register(engine, 'fraud-demo', '3.1.0', bytes);
    const res = await engine.get('/v1/models/fraud-demo/versions/3.1.0/artifact');
    expect(res.status).toBe(200);
    const got = new Uint8Array(await res.arrayBuffer());
    expect(Buffer.compare(Buffer.from(got), bytes)).toBe(0);
    expect(res.headers.get('x-model-sha256')).toBe(sha256(bytes));

    const version = await (await engine.get('/v1/models/fraud-demo/versions/3.1.0')).json();
    expect(version).toMatchObject({ name: 'fraud-demo', version: '3.1.0', retired: null, deployedAs: [] });
    // A fresh start registers both bundled versions and makes the newest champion.
    const bootstrap = await (await engine.get('/v1/models/fraud-demo/versions/2.0.0')).json();
    expect(bootstrap).toMatchObject({ deployedAs: ['champion'], registeredBy: 'bootstrap' });
    const first = await (await engine.get('/v1/models/fraud-demo/versions/1.0.0')).json();
    expect(first).toMatchObject({ deployedAs: [], registeredBy: 'bootstrap', manifest: { policy: { version: 'fraud-demo-1' } } });
    const model = await (await engine.get('/v1/models/fraud-demo')).json();
    expect(model.versions.map((v: { version: string }) => v.version)).toEqual(expect.arrayContaining(['1.0.0', '2.0.0', '3.1.0']));
  });

  it('lists every model from the read model', async () => {
    await register(engine, 'listed', '1', demoModelBytes());
    const deadline = Date.now() + 30_000; // the read model follows the log: on a loaded machine, seconds behind
    let list;
    do {
      list = await (await engine.get('/v1/models')).json();
      if (list.items.some((m: { name: string }) => m.name === 'listed')) break;
      await new Promise((r) => setTimeout(r, 100));
    } while (Date.now() < deadline);
    expect(list.items.find((m: { name: string }) => m.name === 'listed')).toMatchObject({ versions: [{ version: '1', decides: true, deployedAs: [], retiredAt: null }] });
  });

  it('retires a version (then it cannot be deployed), but never a deployed one', async () => {
    await register(engine, 'fraud-demo', 'old', demoModelBytes());
    const retired = await engine.post('/v1/models/fraud-demo/versions/old/retire', { reason: 'superseded' });
    expect(retired.status).toBe(200);
    expect(await retired.json()).toMatchObject({ retired: { reason: 'superseded', by: 'admin' } });
    expect((await engine.post('/v1/models/fraud-demo/versions/old/retire', { reason: 'again' })).status).toBe(409);
    const deploy = await engine.send('PUT', '/v1/deployment/champion', { model: 'fraud-demo', version: 'old', reason: 'try' });
    expect(deploy.status).toBe(409);
    expect(await deploy.json()).toMatchObject({ type: '/problems/model-version-retired' });

    const champion = await engine.post('/v1/models/fraud-demo/versions/2.0.0/retire', { reason: 'no' });
    expect(champion.status).toBe(409);
    expect(await champion.json()).toMatchObject({ type: '/problems/model-version-deployed', roles: ['champion'] });
  });

  it('refuses what cannot work with 422 and says why, storing nothing', async () => {
    const bytes = demoModelBytes();
    const cases: [unknown, RegExp][] = [
      [{ features: ['amount', 'hour_of_day'] }, /2 names but the model input has 19 columns/],
      [{ features: [...Array.from({ length: 18 }, (_, i) => `attributes.a${i}`), 'no_such_feature'] }, /Unknown feature "no_such_feature"/],
      [{ scoreOutput: { name: 'scores', column: 1 } }, /score output "scores" is not an output/],
      [{ scoreOutput: { name: 'probabilities', column: 7 } }, /has 2 column\(s\); column 7 does not exist/],
    ];
    for (const [manifest, why] of cases) {
      const res = await register(engine, 'broken', '1', bytes, manifest);
      expect(res.status).toBe(422);
      const problem = await res.json();
      expect(problem.type).toBe('/problems/model-unusable');
      expect(problem.reasons.join(' ')).toMatch(why);
    }
    expect((await engine.get('/v1/models/broken')).status).toBe(404);
    const garbage = await register(engine, 'broken', '1', new TextEncoder().encode('not an onnx model'));
    expect(garbage.status).toBe(422);
  });

  it('rejects malformed uploads with 400/415 and the field path', async () => {
    const noModel = new FormData();
    noModel.append('manifest', '{}');
    const res = await engine.upload('/v1/models/x/versions/1', noModel);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ type: '/problems/invalid-model-upload', errors: [{ path: '/model', message: 'is required' }] });

    const badManifest = await register(engine, 'x', '1', demoModelBytes(), { features: 'amount', extra: true });
    expect(badManifest.status).toBe(400);
    expect((await badManifest.json()).errors.map((e: { path: string }) => e.path).sort()).toEqual(['/manifest/extra', '/manifest/features']);

    const badId = await register(engine, 'bad name', '1', demoModelBytes());
    expect(badId.status).toBe(400);
    expect((await engine.post('/v1/models/x/versions/1', { model: 'json' })).status).toBe(415);
  });

  const external = sharedDataAvailable('registering the external converter models', 'onnx-external');
  (external ? it : it.skip)('registers every external converter model except the unloadable one, rewriting ZipMap outputs', async () => {
    const catalog = [
      'skl2onnx-rf-iris-zipmap/model.onnx',
      'skl2onnx-logreg-iris-zipmap/model.onnx',
      'skl2onnx-titanic/pipeline_titanic.onnx',
      'skl2onnx-titanic/pipeline_titanic_nozipmap.onnx',
      'skl2onnx-lgbm-zipmap/model.onnx',
      'onnxmltools-xgb-classifier/model.onnx',
      'onnxmltools-xgb-regressor/model.onnx',
      'hummingbird-lgbm-classifier/model.onnx',
      'tf2onnx-keras-mlp/model.onnx',
      'onnx-node-tree-ensemble-single-tree/model.onnx',
      'onnx-node-tree-ensemble-set-membership/model.onnx',
      'onnx-node-label-encoder-string-int/model.onnx',
      'onnx-node-gemm-vector-bias/model.onnx',
      'onnx-node-sigmoid/model.onnx',
    ];
    for (const file of catalog) {
      const bytes = readFileSync(path.join(EXTERNAL, file));
      const name = file.replace(/\/.*$/, '') + (file.includes('nozipmap') ? '-nozipmap' : '');
      const res = await register(engine, name, '1', bytes);
      const body = await res.json();
      expect({ file, status: res.status }).toEqual({ file, status: 201 });
      expect(body.sha256).toBe(sha256(bytes));
      const zipmap = ['skl2onnx-rf-iris-zipmap', 'skl2onnx-logreg-iris-zipmap', 'skl2onnx-titanic/pipeline_titanic.onnx', 'skl2onnx-lgbm-zipmap'].some((z) => file.startsWith(z));
      if (zipmap) {
        expect(body.rewrites).toEqual(['zipmap']);
        expect(body.servedSha256).not.toBe(body.sha256);
        const probabilities = body.signature.outputs.find((o: { name: string }) => o.name === 'output_probability');
        expect(probabilities).toMatchObject({ elementType: 'float32' });
        expect(probabilities.shape).toHaveLength(2);
      } else {
        expect(body.servedSha256).toBe(body.sha256);
      }
    }
    const unloadable = await register(engine, 'pytorch-linear', '1', readFileSync(path.join(EXTERNAL, 'onnx-pytorch-linear-opset6-unsupported/model.onnx')));
    expect(unloadable.status).toBe(422);
    expect((await unloadable.json()).reasons.join(' ')).toMatch(/Gemm\(6\)/);
  });

  it('refuses a non-float input given features (a deployment needs one float32 [N, F] input)', async () => {
    if (!external) return;
    const titanic = readFileSync(path.join(EXTERNAL, 'skl2onnx-titanic/pipeline_titanic_nozipmap.onnx'));
    const res = await register(engine, 'titanic', 'decide', titanic, { features: ['amount'] });
    expect(res.status).toBe(422);
    expect((await res.json()).reasons.join(' ')).toMatch(/5 inputs|float32/);
  });
});

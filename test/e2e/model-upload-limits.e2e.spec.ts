import { startEngine, type RunningEngine } from '../support/engine-harness';
import { demoModelBytes } from '../support/model-fixtures';

/** The registry's own limits, as the multipart parser meets them: each refusal names the limit in this route's terms. */
describe('model upload limits over HTTP', () => {
  const MAX_BYTES = 4096;
  let engine: RunningEngine;

  beforeAll(async () => {
    engine = await startEngine({ VERDICT_MODEL_MAX_BYTES: String(MAX_BYTES) });
  });
  afterAll(async () => engine?.stop());

  it("answers an upload past the parser's limit 413 naming VERDICT_MODEL_MAX_BYTES (not a decision's 64 KiB), and records nothing", async () => {
    const head = await engine.store.headPosition();
    const form = new FormData();
    // Past 1 MiB, the largest part the parser reads here (a manifest may have that much): it stops reading.
    form.append('model', new Blob([new Uint8Array(1024 * 1024 + 1)]), 'model.onnx');
    const res = await engine.upload('/v1/models/too-big/versions/1', form);
    expect(res.status).toBe(413);
    const body = await res.json();
    expect(body).toMatchObject({ type: '/problems/payload-too-large' });
    expect(body.detail).toBe(`The upload exceeds its limits: the model may have ${MAX_BYTES} bytes (VERDICT_MODEL_MAX_BYTES), the manifest 1 MiB.`);
    expect(await engine.store.headPosition()).toBe(head);
  });

  it('answers a real model over the limit 413 naming the limit', async () => {
    const form = new FormData();
    form.append('model', new Blob([new Uint8Array(demoModelBytes())]), 'model.onnx');
    const res = await engine.upload('/v1/models/too-big/versions/2', form);
    expect(res.status).toBe(413);
    expect((await res.json()).detail).toBe(`The model exceeds the ${MAX_BYTES}-byte limit (VERDICT_MODEL_MAX_BYTES).`);
  });

  it('answers more parts than "model" and "manifest" 400 invalid-model-upload, saying so', async () => {
    const form = new FormData();
    form.append('model', new Blob([new Uint8Array(10)]), 'model.onnx');
    form.append('manifest', '{}');
    form.append('manifest', '{}');
    const res = await engine.upload('/v1/models/many-parts/versions/1', form);
    expect(res.status).toBe(400);
    const body = await res.json();
    // The parser stops at the third part, before the route could see it given twice.
    expect(body).toMatchObject({ type: '/problems/invalid-model-upload', detail: 'The upload has more parts than "model" and "manifest".' });
  });

  it('refuses a manifest holding a NUL or a lone surrogate, naming where, as it would a JSON body', async () => {
    for (const [text, path] of [['{"description":"a\\u0000b"}', '/manifest/description'], ['{"features":["x\\ud800"]}', '/manifest/features/0']]) {
      const form = new FormData();
      form.append('model', new Blob([new Uint8Array(10)]), 'model.onnx');
      form.append('manifest', text);
      const res = await engine.upload('/v1/models/odd-text/versions/1', form);
      expect(res.status).toBe(400);
      expect((await res.json()).errors).toEqual([expect.objectContaining({ path })]);
    }
    const latin1 = new FormData();
    latin1.append('model', new Blob([new Uint8Array(10)]), 'model.onnx');
    latin1.append('manifest', new Blob([Uint8Array.from([0x7b, 0x22, 0x64, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d])]), 'manifest.json');
    const res = await engine.upload('/v1/models/odd-text/versions/1', latin1);
    expect(res.status).toBe(400);
    expect((await res.json()).errors).toEqual([{ path: '/manifest', message: 'is not UTF-8 text' }]);
    expect((await engine.get('/v1/models/odd-text')).status).toBe(404);
  });
});

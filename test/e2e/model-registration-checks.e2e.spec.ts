import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { MODEL_VERSION_REGISTERED, modelStreamId, newEventId, type ModelManifest, type ModelVersionRegisteredV1 } from '@verdict/domain';
import type { ArtifactStore } from '@verdict/artifact-store';
import { NO_STREAM } from '@verdict/event-store';
import { readModelSignature } from '@verdict/model-runtime';
import { onnx } from 'onnx-proto';
import { ARTIFACT_STORE } from '../../apps/engine/src/infrastructure/tokens';
import {
  buildBatchIgnoringModel,
  buildExternalDataModel,
  buildFixedWidthModel,
  buildNanAtZeroModel,
  buildOneColumnModel,
  encodeModel,
  externalTensor,
  node,
  valueInfo,
} from '../../libs/model-runtime/src/testing/misfit-test-models';
import { decisionRequest, startEngine, type RunningEngine } from '../support/engine-harness';
import { register } from '../support/model-fixtures';

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const FEATURES = ['amount'];

/**
 * What registration refuses because it would hurt later: a model that reads files through external data, and models
 * onnxruntime loads but whose run-time shapes would fail every decision. Both are 422 with the reason, storing nothing.
 */
describe('model registration refuses models that load but cannot be served safely', () => {
  let engine: RunningEngine;
  let artifacts: ArtifactStore;

  beforeAll(async () => {
    engine = await startEngine();
    artifacts = engine.resolve(ARTIFACT_STORE as never) as ArtifactStore;
  });
  afterAll(async () => engine?.stop());

  /** Registers and expects 422 model-unusable with a reason matching `why`, and nothing written: no event, no bytes. */
  async function refused(name: string, bytes: Uint8Array, manifest: unknown, why: RegExp): Promise<void> {
    const head = await engine.store.headPosition();
    const res = await register(engine, name, '1', bytes, manifest);
    const problem = await res.json();
    expect({ status: res.status, type: problem.type }).toEqual({ status: 422, type: '/problems/model-unusable' });
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(problem.reasons.join(' ')).toMatch(why);
    expect(await engine.store.headPosition()).toBe(head);
    expect(await artifacts.has(sha256(bytes))).toBe(false);
    expect((await engine.get(`/v1/models/${name}`)).status).toBe(404);
  }

  /** Stores a version as a registration before these checks did: its bytes and its event, straight to the stores. */
  async function storedBeforeTheChecks(name: string, bytes: Uint8Array, manifest: ModelManifest): Promise<void> {
    await artifacts.put(bytes);
    const event: ModelVersionRegisteredV1 = {
      schemaVersion: 1,
      name,
      version: '1',
      sha256: sha256(bytes),
      servedSha256: sha256(bytes),
      sizeBytes: bytes.length,
      rewrites: [],
      signature: readModelSignature(bytes),
      manifest,
      registeredAt: new Date().toISOString(),
      actor: 'admin',
    };
    await engine.store.appendToStream(modelStreamId(name), [{ id: newEventId(), type: MODEL_VERSION_REGISTERED, data: event as never, metadata: { actor: 'admin' } }], {
      expectedRevision: NO_STREAM,
    });
  }

  describe('external data (the model would read files from the working directory)', () => {
    // package.json is in the working directory: onnxruntime would serve its first bytes as the model's output.
    it('refuses a graph initializer stored outside the model, for raw inference and for deciding', async () => {
      await refused('reads-a-file', buildExternalDataModel('package.json', 64), undefined, /tensor "W".*self-contained/);
      const deciding = encodeModel(
        {
          name: 'g',
          input: [valueInfo('X', onnx.TensorProto.DataType.FLOAT, ['N', 1])],
          output: [valueInfo('probabilities', onnx.TensorProto.DataType.FLOAT, ['N', 2])],
          initializer: [externalTensor('unused', 'data/keys/admin.key', 16)],
          node: [node('Concat', ['X', 'X'], ['probabilities'], [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }])],
        },
      );
      await refused('decides-and-reads', deciding, { features: FEATURES }, /tensor "unused".*self-contained/);
    });

    it("refuses a Constant node's value stored outside the model", async () => {
      const constant = encodeModel({
        name: 'g',
        output: [valueInfo('Y', onnx.TensorProto.DataType.INT32, [64])],
        node: [
          node('Constant', [], ['c'], [{ name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t: externalTensor('v', 'package.json', 64) }]),
          node('Cast', ['c'], ['Y'], [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: onnx.TensorProto.DataType.INT32 }]),
        ],
      });
      await refused('constant-reads-a-file', constant, undefined, /attribute "value" › tensor "v".*self-contained/);
    });

    it('refuses to load such a model stored before the check, instead of returning the file', async () => {
      const bytes = buildExternalDataModel('package.json', 64);
      await storedBeforeTheChecks('stored-reader', bytes, {});
      const res = await engine.post('/v2/models/stored-reader/infer', { inputs: [{ name: 'X', datatype: 'FP32', shape: [1], data: [0] }] });
      const body = await res.json();
      expect(res.status).toBe(400);
      expect(body.error).toMatch(/stores tensor data outside its own bytes.*self-contained/);
      const file = [...readFileSync('package.json').subarray(0, 64)];
      expect(JSON.stringify(body)).not.toContain(JSON.stringify(file.slice(0, 8)).slice(1, -1));
    });
  });

  describe('run-time shapes (the model would fail every decision)', () => {
    it('refuses a score output that ignores the batch size ([1, 2] whatever N is)', async () => {
      await refused('batch-blind', buildBatchIgnoringModel(FEATURES), { features: FEATURES }, /trial batch of 3 rows.*score output "probabilities" has dims \[1, 2\]; expected \[3\]/);
    });

    it('refuses an [N, M] input that needs another width than the manifest has features', async () => {
      await refused('needs-four', buildFixedWidthModel(FEATURES, 4), { features: FEATURES }, /trial batch of 3 rows.*failed: Model needs-four@1 failed to score/);
    });

    it('refuses an output declared [N, 2] that is [N, 1] when it runs', async () => {
      await refused('one-column', buildOneColumnModel(FEATURES), { features: FEATURES }, /score output "probabilities" has dims \[3, 1\]; expected \[3\] or \[3, >1\]/);
    });

    it('refuses a model whose scores on the baseline are not finite', async () => {
      await refused('nan-at-zero', buildNanAtZeroModel(FEATURES), { features: FEATURES }, /the baseline row scored NaN; it must score a finite number/);
      // The same model with a baseline it can score registers: the check is the model's behaviour, not its shape.
      expect((await register(engine, 'nan-at-zero', '2', buildNanAtZeroModel(FEATURES), { features: FEATURES, baseline: [10] })).status).toBe(201);
      // Only the baseline must score: the trial's variations (here baseline + 1 = 0) are not requests.
      expect((await register(engine, 'nan-at-zero', '3', buildNanAtZeroModel(FEATURES), { features: FEATURES, baseline: [-1] })).status).toBe(201);
    });

    it('refuses to deploy such a version stored before the check (422), and the champion keeps deciding', async () => {
      await storedBeforeTheChecks('slipped-through', buildBatchIgnoringModel(FEATURES), { features: FEATURES });
      const before = await (await engine.get('/v1/deployment')).json();
      const deploy = await engine.send('PUT', '/v1/deployment/champion', { model: 'slipped-through', version: '1', reason: 'try', policy: { version: 'p-slipped', reviewThreshold: 0.5, declineThreshold: 0.9 } });
      const problem = await deploy.json();
      expect({ status: deploy.status, type: problem.type }).toEqual({ status: 422, type: '/problems/model-unusable' });
      expect(problem.reasons.join(' ')).toMatch(/slipped-through@1 cannot decide: a trial batch of 3 rows.*has dims \[1, 2\]/);
      const after = await (await engine.get('/v1/deployment')).json();
      expect(after.revision).toBe(before.revision);
      expect((await engine.post('/v1/decisions', decisionRequest())).status).toBe(201);
    });
  });
});

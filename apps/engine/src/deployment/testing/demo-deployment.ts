import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FilesystemArtifactStore, sha256Of } from '@verdict/artifact-store';
import { INITIAL_DEPLOYMENT_STATE, type ModelVersionRegisteredV1, type PolicySnapshot } from '@verdict/domain';
import { readModelProto, readVerdictMetadata } from '@verdict/model-runtime';
import { DeploymentRuntime } from '../deployment-runtime';
import { ModelLoader } from '../model-loader';

const DEMO = path.resolve(__dirname, '../../../../../models/fraud-demo/1.0.0/model.onnx');

/**
 * A DeploymentRuntime on real parts with the demo model as champion (filesystem artifact store in a temp dir, real
 * onnxruntime session), for tests of what decides without an event store or HTTP.
 */
export async function demoDeployment(policy: PolicySnapshot): Promise<{ runtime: DeploymentRuntime; registered: ModelVersionRegisteredV1; dispose(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'verdict-demo-deployment-'));
  const bytes = readFileSync(DEMO);
  const meta = readVerdictMetadata(readModelProto(bytes, DEMO).metadata, DEMO);
  const artifacts = new FilesystemArtifactStore(dir);
  const { sha256 } = await artifacts.put(bytes);
  const registered: ModelVersionRegisteredV1 = {
    schemaVersion: 1, name: meta.modelName ?? 'fraud-demo', version: meta.modelVersion ?? '1', sha256, servedSha256: sha256Of(bytes),
    sizeBytes: bytes.length, rewrites: [], signature: { inputs: [], outputs: [] },
    manifest: { features: meta.features!, baseline: meta.baseline, scoreOutput: meta.scoreOutput, policy },
    registeredAt: new Date().toISOString(), actor: 'test',
  };
  const runtime = new DeploymentRuntime(new ModelLoader(artifacts), async () => registered);
  await runtime.apply({
    ...INITIAL_DEPLOYMENT_STATE,
    revision: 1,
    champion: { name: registered.name, version: registered.version, sha256, servedSha256: sha256 },
    policy,
  });
  return {
    runtime,
    registered,
    dispose: async () => {
      await runtime.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

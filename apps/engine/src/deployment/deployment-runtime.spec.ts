import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ArtifactAlteredError, FilesystemArtifactStore, sha256Of } from '@verdict/artifact-store';
import { INITIAL_DEPLOYMENT_STATE, type DeploymentState, type ModelVersionRegisteredV1, type PolicySnapshot } from '@verdict/domain';
import { readModelProto, readVerdictMetadata } from '@verdict/model-runtime';
import { buildBatchIgnoringModel } from '@verdict/model-runtime/testing/misfit-test-models';
import { DeploymentRuntime } from './deployment-runtime';
import { ModelLoader } from './model-loader';

const DEMO = path.resolve(__dirname, '../../../../models/fraud-demo/1.0.0/model.onnx');
const policy: PolicySnapshot = { version: 'p', reviewThreshold: 0.2, declineThreshold: 0.8 };

/** The runtime on real parts: a filesystem artifact store holding the demo model, real onnxruntime sessions. */
describe('DeploymentRuntime', () => {
  let dir: string;
  let artifacts: FilesystemArtifactStore;
  let registry: Map<string, ModelVersionRegisteredV1>;
  let runtime: DeploymentRuntime;
  let loader: ModelLoader;
  const bytes = readFileSync(DEMO);
  const meta = readVerdictMetadata(readModelProto(bytes, DEMO).metadata, DEMO);

  const version = (v: string, description = v): ModelVersionRegisteredV1 => {
    const sha256 = sha256Of(bytes);
    const r: ModelVersionRegisteredV1 = {
      schemaVersion: 1, name: 'demo', version: v, sha256, servedSha256: sha256, sizeBytes: bytes.length, rewrites: [],
      signature: { inputs: [], outputs: [] }, manifest: { features: meta.features!, baseline: meta.baseline, scoreOutput: meta.scoreOutput, description },
      registeredAt: '2026-01-01T00:00:00Z', actor: 'test',
    };
    registry.set(v, r);
    return r;
  };
  const state = (revision: number, champion: string, standby?: string): DeploymentState => {
    const ref = (v: string) => ({ name: 'demo', version: v, sha256: registry.get(v)!.sha256, servedSha256: registry.get(v)!.servedSha256 });
    return { ...INITIAL_DEPLOYMENT_STATE, revision, champion: ref(champion), policy, standby: standby ? { model: ref(standby), policy } : null };
  };
  const row = () => Float32Array.from(meta.baseline!);

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'verdict-runtime-'));
    artifacts = new FilesystemArtifactStore(dir);
    await artifacts.put(bytes);
    registry = new Map();
    loader = new ModelLoader(artifacts);
    runtime = new DeploymentRuntime(loader, async (m) => registry.get(m.version)!);
  });
  afterEach(async () => {
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves a version the log has in force even if it fails the trial batch, and warns; a new deployment refuses it', async () => {
    const misfit = buildBatchIgnoringModel(['amount']);
    const { sha256 } = await artifacts.put(misfit);
    registry.set('misfit', {
      ...version('misfit'), sha256, servedSha256: sha256, sizeBytes: misfit.length,
      manifest: { features: ['amount'], scoreOutput: { name: 'probabilities', column: 1 } },
    });
    const warnings: string[] = [];
    const warned = new ModelLoader(artifacts, (m) => warnings.push(m));
    const following = new DeploymentRuntime(warned, async (m) => registry.get(m.version)!);
    try {
      // As at a start after upgrading: the champion was deployed before registration ran a trial batch.
      await following.apply(state(1, 'misfit'));
      expect(following.require().revision).toBe(1);
      expect(warnings).toEqual([expect.stringMatching(/^demo@misfit is in force but fails a trial batch.*dims \[1, 2\]/)]);
      // Held under 'warn', it is still refused for a role it does not have yet: the cached session is no way round.
      await expect(warned.acquire(registry.get('misfit')!, 'refuse')).rejects.toThrow(/demo@misfit cannot decide: a trial batch/);
    } finally {
      await following.close();
    }
    await expect(new ModelLoader(artifacts).acquire(registry.get('misfit')!)).rejects.toThrow(/demo@misfit cannot decide: a trial batch/);
  });

  it('loads and warms before swapping; a request keeps its sessions until it releases them', async () => {
    version('a');
    version('b');
    await runtime.apply(state(1, 'a'));
    const first = runtime.require();
    first.acquire();
    await runtime.apply(state(2, 'b', 'a'));
    expect(runtime.require().revision).toBe(2);
    await runtime.apply(state(3, 'b')); // 'a' leaves every table, but the request still holds it
    await expect(first.champion.model.runtime.score(row(), 1)).resolves.toBeDefined();
    first.release();
    await first.champion.model.closed();
    await expect(first.champion.model.runtime.score(row(), 1)).rejects.toThrow(/closed/);
    expect(loader.openSessions()).toBe(1);
  });

  it('shares one session between roles and tables, and never applies an older revision', async () => {
    version('a');
    await runtime.apply(state(1, 'a'));
    await runtime.apply(state(2, 'a', 'a'));
    expect(loader.openSessions()).toBe(1);
    await runtime.apply(state(1, 'a'));
    expect(runtime.revision).toBe(2);
  });

  it('keeps deciding with the previous table when a new model cannot be loaded (altered artifact)', async () => {
    version('a');
    await runtime.apply(state(1, 'a'));
    const other = new Uint8Array(bytes);
    other[other.length - 1] ^= 0xff;
    const tampered = { ...version('b', 'other manifest'), servedSha256: sha256Of(other) };
    registry.set('b', tampered);
    await artifacts.put(other);
    writeFileSync(artifacts.pathOf(tampered.servedSha256), bytes); // now the file no longer hashes to its name
    await expect(runtime.apply({ ...state(2, 'a'), champion: { name: 'demo', version: 'b', sha256: tampered.sha256, servedSha256: tampered.servedSha256 } })).rejects.toBeInstanceOf(ArtifactAlteredError);
    expect(runtime.require().revision).toBe(1);
    await expect(runtime.require().champion.model.runtime.score(row(), 1)).resolves.toBeDefined();
  });
});

import { canonicalJson, FeaturePlan, featureColumnName, type ModelVersionRegisteredV1 } from '@verdict/domain';
import { getVerified, type ArtifactStore } from '@verdict/artifact-store';
import { OnnxModelRuntime } from '@verdict/model-runtime';
import { LoadedModel } from './loaded-model';

/**
 * Loads registered versions for deciding, once each: the bytes are fetched by the served sha256 and re-hashed
 * (an altered artifact never scores), the session is warmed with one run before anything routes to it, and a
 * version loaded for several roles (or by a new routing table) shares one session.
 */
export class ModelLoader {
  private readonly loaded = new Map<string, Promise<LoadedModel>>();

  constructor(private readonly artifacts: ArtifactStore) {}

  /** A retained LoadedModel (call release() when done). */
  async acquire(registered: ModelVersionRegisteredV1): Promise<LoadedModel> {
    // Per version: two versions of the same bytes decide under their own names (the snapshot names the version).
    const key = `${registered.name}@${registered.version}:${registered.servedSha256}:${canonicalJson(registered.manifest)}`;
    let pending = this.loaded.get(key);
    if (pending === undefined) {
      pending = this.load(registered, key);
      this.loaded.set(key, pending);
      pending.catch(() => this.loaded.delete(key));
    }
    const model = await pending;
    model.retain();
    return model;
  }

  /** Sessions open right now (for tests and metrics). */
  openSessions(): number {
    return this.loaded.size;
  }

  private async load(registered: ModelVersionRegisteredV1, key: string): Promise<LoadedModel> {
    const { manifest } = registered;
    if (!manifest.features) {
      throw new Error(`${registered.name}@${registered.version} has no features: it serves raw inference only`);
    }
    const plan = new FeaturePlan(manifest.features);
    const bytes = await getVerified(this.artifacts, registered.servedSha256);
    const runtime = await OnnxModelRuntime.fromBytes(bytes, {
      source: `artifact:${registered.servedSha256}`,
      name: registered.name,
      version: registered.version,
      features: manifest.features.map(featureColumnName),
      baseline: manifest.baseline,
      scoreOutput: manifest.scoreOutput,
    });
    try {
      // Warm-up: the first run allocates the arena and JITs nothing on our side; no request should pay for it.
      const row = Float32Array.from(runtime.descriptor.baseline);
      await runtime.score(row, 1);
    } catch (e) {
      await runtime.close();
      throw e;
    }
    const model: LoadedModel = new LoadedModel(registered, runtime, plan, () => {
      if (this.loaded.get(key) === loading) this.loaded.delete(key);
    });
    const loading = this.loaded.get(key);
    return model;
  }
}

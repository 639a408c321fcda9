import { canonicalJson, FeaturePlan, featureColumnName, type ModelVersionRegisteredV1 } from '@verdict/domain';
import { getVerified, type ArtifactStore } from '@verdict/artifact-store';
import { isModelLoadError, isModelScoreError, OnnxModelRuntime, trialRun } from '@verdict/model-runtime';
import { UnusableModelError } from '../models/model-upload-check';
import { LoadedModel } from './loaded-model';

/**
 * How a load treats a failed trial batch: `refuse` a version about to be deployed (one registered before registration
 * ran it is then refused here, not by every decision); `warn` for one the log has in force already (at start, when
 * following another instance, as the standby of a change): refusing it would keep the engine from ever serving.
 */
export type TrialPolicy = 'refuse' | 'warn';

/**
 * Loads registered versions for deciding, once each: the bytes are fetched by the served sha256 and re-hashed
 * (an altered artifact never scores), the session is warmed with a trial batch before anything routes to it, and a
 * version loaded for several roles (or by a new routing table) shares one session.
 */
export class ModelLoader {
  private readonly loaded = new Map<string, Promise<LoadedModel>>();

  constructor(
    private readonly artifacts: ArtifactStore,
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  /** A retained LoadedModel (call release() when done). */
  async acquire(registered: ModelVersionRegisteredV1, trial: TrialPolicy = 'refuse'): Promise<LoadedModel> {
    // Per version: two versions of the same bytes decide under their own names (the snapshot names the version).
    const key = `${registered.name}@${registered.version}:${registered.servedSha256}:${canonicalJson(registered.manifest)}`;
    let pending = this.loaded.get(key);
    if (pending === undefined) {
      pending = this.load(registered, key, trial);
      this.loaded.set(key, pending);
      pending.catch(() => this.loaded.delete(key));
    }
    const model = await pending;
    // Loaded under 'warn' earlier (it was in force), now asked for a role it does not have yet: refused as at first.
    if (trial === 'refuse' && model.trialFailure !== undefined) throw new UnusableModelError([model.trialFailure]);
    model.retain();
    return model;
  }

  /** Sessions open right now (for tests and metrics). */
  openSessions(): number {
    return this.loaded.size;
  }

  private async load(registered: ModelVersionRegisteredV1, key: string, trial: TrialPolicy): Promise<LoadedModel> {
    const { manifest } = registered;
    if (!manifest.features) {
      throw new Error(`${registered.name}@${registered.version} has no features: it serves raw inference only`);
    }
    const plan = new FeaturePlan(manifest.features);
    const bytes = await getVerified(this.artifacts, registered.servedSha256);
    const unusable = (e: unknown): unknown =>
      isModelLoadError(e) || isModelScoreError(e) ? new UnusableModelError([`${registered.name}@${registered.version} cannot decide: ${e.message}`]) : e;
    let runtime;
    try {
      runtime = await OnnxModelRuntime.fromBytes(bytes, {
        source: `artifact:${registered.servedSha256}`,
        name: registered.name,
        version: registered.version,
        features: manifest.features.map(featureColumnName),
        baseline: manifest.baseline,
        scoreOutput: manifest.scoreOutput,
      });
    } catch (e) {
      throw unusable(e);
    }
    let trialFailure: string | undefined;
    try {
      // Warm-up: the first run allocates the arena and JITs nothing on our side; no request should pay for it.
      await trialRun(runtime);
    } catch (e) {
      if (trial === 'refuse' || !isModelScoreError(e)) {
        await runtime.close();
        throw unusable(e);
      }
      trialFailure = `${registered.name}@${registered.version} cannot decide: ${e.message}`;
      this.warn(`${registered.name}@${registered.version} is in force but fails a trial batch, so its decisions may fail: ${e.message}`);
    }
    const model: LoadedModel = new LoadedModel(
      registered,
      runtime,
      plan,
      () => {
        if (this.loaded.get(key) === loading) this.loaded.delete(key);
      },
      trialFailure,
    );
    const loading = this.loaded.get(key);
    return model;
  }
}

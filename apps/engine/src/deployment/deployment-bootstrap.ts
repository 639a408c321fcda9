import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { VerdictConfig } from '@verdict/config';
import { trainingStatisticsSchema, type ModelManifest } from '@verdict/domain';
import { readModelProto, readVerdictMetadata } from '@verdict/model-runtime';
import type { ModelRegistration } from '../models/model-registration';
import { DeploymentChangeConflictError, type DeploymentChanges } from './deployment-changes';
import type { DeploymentFollower } from './deployment-follower';

export const BOOTSTRAP_ACTOR = 'bootstrap';

/**
 * A fresh data directory has no deployment: register the configured model and make it champion, as events from the
 * actor "bootstrap". Without VERDICT_MODEL_PATH that is every bundled version of the demo model, oldest first, with
 * the newest as champion (the older ones stay registered, ready to deploy or compare). So `npm start` still needs no
 * configuration. Once a deployment exists, the configured model is ignored: models then change only
 * through the registry and deployment API. Several instances starting together: one champion change wins (the
 * others lose the expected-revision race and just follow).
 */
export class DeploymentBootstrap {
  constructor(
    private readonly config: VerdictConfig,
    private readonly registration: ModelRegistration,
    private readonly changes: DeploymentChanges,
    private readonly follower: DeploymentFollower,
    private readonly log: Logger,
  ) {}

  async run(): Promise<void> {
    const existing = this.follower.latest();
    if (existing.revision > 0) {
      if (this.config.model.explicit) {
        this.log.warn(
          { model: this.config.model.path, revision: existing.revision },
          'VERDICT_MODEL_PATH only bootstraps a fresh deployment; this one exists, so it is ignored (use the registry and deployment API)',
        );
      }
      return;
    }
    for (const older of this.config.model.bundled.filter((p) => p !== this.config.model.path)) await this.register(older, false);
    const registered = await this.register(this.config.model.path, true);
    const { name, version } = registered;
    try {
      await this.changes.change(
        { kind: 'set-champion', model: { name: registered.name, version: registered.version }, reason: 'bootstrap: no deployment existed' },
        { actor: BOOTSTRAP_ACTOR, ifMatch: 0 },
      );
      this.log.info({ model: `${name}@${version}`, sha256: registered.sha256 }, 'bootstrapped the deployment with the configured model as champion');
    } catch (error) {
      if (!(error instanceof DeploymentChangeConflictError)) throw error;
      // Another instance bootstrapped first; its change is now in force here too (catchUp applied it).
      await this.follower.applyLatest();
    }
  }

  /**
   * Registers one model file. The champion takes the configured overrides (VERDICT_MODEL_NAME, _FEATURES, the
   * policy…); an older bundled version is registered as its trainer described it. Registering the same bytes again
   * (a restart that lost the race) is a repeat, not an error.
   */
  private async register(modelPath: string, champion: boolean): Promise<{ name: string; version: string; sha256: string }> {
    const bytes = await readFile(modelPath);
    const meta = readVerdictMetadata(readModelProto(bytes, modelPath).metadata, modelPath);
    const sidecar = await trainerSidecar(modelPath, bytes);
    const model: Partial<VerdictConfig['model']> = champion ? this.config.model : {};
    const name = model.name ?? meta.modelName ?? path.basename(modelPath).replace(/\.onnx$/i, '');
    const version = model.version ?? meta.modelVersion ?? '1';
    const policy = champion ? this.config.policy : sidecar.policy;
    const manifest: ModelManifest = {
      ...(model.features ? { features: [...model.features] } : {}),
      ...(model.baseline ? { baseline: [...model.baseline] } : {}),
      ...(policy ? { policy } : {}),
      description: `Registered at bootstrap from ${path.relative(process.cwd(), modelPath) || modelPath}`,
      ...(sidecar.metrics !== undefined ? { metrics: sidecar.metrics } : {}),
      ...(sidecar.trainingStatistics !== undefined ? { trainingStatistics: sidecar.trainingStatistics } : {}),
    };
    const { registered } = await this.registration.register(name, version, bytes, manifest, BOOTSTRAP_ACTOR);
    return registered;
  }
}

/**
 * What the trainer's `model.json` beside the model says about these very bytes (its sha256 matches): the card's
 * figures, which performance monitoring compares live figures with, and the training statistics, which drift is
 * measured against (without them the version's first window of traffic is its baseline).
 */
async function trainerSidecar(modelPath: string, bytes: Uint8Array): Promise<Pick<ModelManifest, 'metrics' | 'trainingStatistics' | 'policy'>> {
  const file = path.join(path.dirname(modelPath), 'model.json');
  let card: { sha256?: unknown; metrics?: ModelManifest['metrics']; trainingStatistics?: unknown; policy?: ModelManifest['policy'] };
  try {
    card = JSON.parse(await readFile(file, 'utf8')) as typeof card;
  } catch {
    return {};
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (card.sha256 !== sha256) return {};
  const statistics = card.trainingStatistics === undefined ? undefined : trainingStatisticsSchema.safeParse(card.trainingStatistics);
  if (statistics?.success === false) {
    throw new Error(`${file}: trainingStatistics are invalid: ${statistics.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return {
    ...(card.metrics !== undefined ? { metrics: card.metrics } : {}),
    ...(statistics?.success ? { trainingStatistics: statistics.data } : {}),
    ...(card.policy !== undefined ? { policy: card.policy } : {}),
  };
}

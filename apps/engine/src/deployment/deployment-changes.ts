import { randomUUID } from 'node:crypto';
import {
  newEventId,
  DEPLOYMENT_STREAM,
  decideDeployment,
  evolveDeployment,
  modelVersionKey,
  type DeployableVersion,
  type DeploymentCommand,
  type DeploymentEvent,
  type DeploymentState,
  type DeployedModel,
  type ModelVersionRef,
} from '@verdict/domain';
import { isWrongExpectedRevision, NO_STREAM, type EventStore } from '@verdict/event-store';
import type { ModelCatalog } from '../models/model-catalog';
import type { DeploymentFollower } from './deployment-follower';
import type { ModelLoader, TrialPolicy } from './model-loader';

/** The change lost a race: another change landed first (409 without If-Match, 412 with it). */
export class DeploymentChangeConflictError extends Error {
  constructor(
    readonly currentRevision: number,
    readonly withIfMatch: boolean,
  ) {
    super(
      withIfMatch
        ? `The deployment is at revision ${currentRevision}, not the one in If-Match.`
        : `Another change to the deployment landed first; it is now at revision ${currentRevision}. Read it and decide again.`,
    );
    this.name = 'DeploymentChangeConflictError';
  }
}

export interface ChangeOptions {
  readonly actor: string;
  /** The revision the caller read (If-Match); a different current revision fails the change with 412. */
  readonly ifMatch?: number;
  /** Extra metadata for the event (e.g. the correlation id). */
  readonly metadata?: Record<string, unknown>;
}

const modelsOf = (command: DeploymentCommand): ModelVersionRef[] =>
  command.kind === 'set-champion' || command.kind === 'deploy-challenger' ? [command.model] : [];

/**
 * Makes a deployment change: decide against the current state, load and warm the sessions the new state needs, stamp
 * the event's `at`, append with the exact expected revision (optimistic concurrency: two racing changes give one success and one
 * conflict, never a lost update), then swap this instance's routing table before answering.
 */
export class DeploymentChanges {
  constructor(
    private readonly store: EventStore,
    private readonly follower: DeploymentFollower,
    private readonly catalog: ModelCatalog,
    private readonly loader: ModelLoader,
  ) {}

  async change(command: DeploymentCommand, options: ChangeOptions): Promise<DeploymentState> {
    await this.follower.catchUp();
    const state = this.follower.latest();
    if (options.ifMatch !== undefined && options.ifMatch !== state.revision) {
      throw new DeploymentChangeConflictError(state.revision, true);
    }
    const versions = await this.deployables(modelsOf(command));
    const decide = (): DeploymentEvent =>
      decideDeployment(state, command, {
        actor: options.actor,
        now: new Date().toISOString(),
        lookup: (ref) => versions.get(modelVersionKey(ref)),
        newDeploymentId: () => randomUUID(),
      });
    const preloaded = await this.preload(state, evolveDeployment(state, decide()));
    try {
      // Decided again, to be stamped once the models are loaded, just before the append: the previous revision goes on
      // deciding until then, and its decisions must not fall after the `at` of a change not yet in force.
      const event = decide();
      const next = evolveDeployment(state, event);
      let result;
      try {
        result = await this.store.appendToStream(
          DEPLOYMENT_STREAM,
          [{ id: newEventId(), type: event.type, data: event.data as unknown as Record<string, unknown>, metadata: { actor: options.actor, ...options.metadata } }],
          { expectedRevision: state.revision === 0 ? NO_STREAM : BigInt(state.revision - 1) },
        );
      } catch (error) {
        if (!isWrongExpectedRevision(error)) throw error;
        await this.follower.catchUp();
        throw new DeploymentChangeConflictError(this.follower.latest().revision, options.ifMatch !== undefined);
      }
      await this.follower.applyOwn({
        id: '',
        type: event.type,
        streamId: DEPLOYMENT_STREAM,
        revision: result.nextExpectedRevision,
        position: result.position,
        data: event.data as unknown as Record<string, unknown>,
        metadata: {},
        recordedAt: new Date(),
      });
      // The state this change made (a later change may already be in force too; its answer is its own).
      return next;
    } finally {
      for (const release of preloaded) release();
    }
  }

  private async deployables(refs: readonly ModelVersionRef[]): Promise<Map<string, DeployableVersion>> {
    const found = new Map<string, DeployableVersion>();
    for (const ref of refs) {
      const history = await this.catalog.history(ref.name);
      const version = history.version(ref.version);
      if (!version) continue; // the decider says "not found"
      const r = version.registered;
      found.set(modelVersionKey(ref), {
        model: { name: r.name, version: r.version, sha256: r.sha256, servedSha256: r.servedSha256 },
        retired: version.retired !== null,
        decides: r.manifest.features !== undefined,
        recommendedPolicy: r.manifest.policy ?? null,
      });
    }
    return found;
  }

  /**
   * Loads (and warms) the new state's sessions before anything is written: a model that cannot load changes nothing,
   * nor one that fails the trial batch and would decide in a role it does not have yet (champion or challenger).
   * One that keeps its role, or only stands by (a failing champion replaced, its version now the standby), is warned
   * about: refusing it would leave no way out through the API.
   */
  private async preload(current: DeploymentState, next: DeploymentState): Promise<(() => void)[]> {
    const same = (a: DeployedModel | null | undefined, b: DeployedModel | null | undefined) => a != null && b != null && modelVersionKey(a) === modelVersionKey(b);
    const roles: [DeployedModel | null | undefined, TrialPolicy][] = [
      [next.champion, same(next.champion, current.champion) ? 'warn' : 'refuse'],
      [next.challenger?.model, same(next.challenger?.model, current.challenger?.model) ? 'warn' : 'refuse'],
      [next.standby?.model, 'warn'],
    ];
    const releases: (() => void)[] = [];
    try {
      for (const [model, trial] of roles) {
        if (model == null) continue;
        const loaded = await this.loader.acquire(await this.catalog.forDeployed(model), trial);
        releases.push(() => loaded.release());
      }
    } catch (error) {
      for (const release of releases) release();
      throw error;
    }
    return releases;
  }
}

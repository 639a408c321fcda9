import { newEventId, decideRetirement, MODEL_VERSION_RETIRED, modelStreamId, type RegisteredModelVersion } from '@verdict/domain';
import { isWrongExpectedRevision, type EventStore } from '@verdict/event-store';
import { ProblemException } from '../http/problem.exception';
import type { DeploymentFollower } from '../deployment/deployment-follower';
import type { ModelCatalog } from './model-catalog';
import { deployedAs } from './model-views';

/** Retires a version: it can no longer be deployed. A deployed version is refused (409) until it is rolled out. */
export class ModelRetirement {
  constructor(
    private readonly store: EventStore,
    private readonly catalog: ModelCatalog,
    private readonly follower: DeploymentFollower,
  ) {}

  async retire(name: string, version: string, reason: string, actor: string, attempt = 1): Promise<RegisteredModelVersion> {
    await this.follower.catchUp();
    const history = await this.catalog.history(name);
    const roles = deployedAs(this.follower.latest(), name, version);
    const decision = decideRetirement(history, version, roles, { now: new Date().toISOString(), actor, reason });
    switch (decision.kind) {
      case 'not-found':
        throw new ProblemException('model-version-not-found', `Model ${name} has no version "${version}".`);
      case 'already-retired':
        throw new ProblemException('model-version-retired', `${name}@${version} was retired at ${decision.retired.retiredAt}.`);
      case 'deployed':
        throw new ProblemException('model-version-deployed', `${name}@${version} is deployed as ${decision.roles.join(' and ')}; change the deployment first.`, { roles: decision.roles });
      case 'retire':
        try {
          await this.store.appendToStream(
            modelStreamId(name),
            [{ id: newEventId(), type: MODEL_VERSION_RETIRED, data: decision.event as unknown as Record<string, unknown>, metadata: { actor } }],
            { expectedRevision: history.lastRevision ?? 'no_stream' },
          );
        } catch (error) {
          // Another version of the model was registered (or this one retired) meanwhile: decide again on the new stream.
          if (isWrongExpectedRevision(error) && attempt < 5) return this.retire(name, version, reason, actor, attempt + 1);
          throw error;
        }
        return { registered: history.version(version)!.registered, retired: decision.event };
    }
  }
}

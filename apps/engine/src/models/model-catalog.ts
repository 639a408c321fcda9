import {
  ModelHistory,
  modelStreamId,
  type DeployedModel,
  type ModelVersionRegisteredV1,
} from '@verdict/domain';
import type { EventStore } from '@verdict/event-store';

export class RegisteredVersionNotFoundError extends Error {
  constructor(
    readonly model: string,
    readonly version: string,
  ) {
    super(`Model ${model} has no registered version "${version}"`);
    this.name = 'RegisteredVersionNotFoundError';
  }
}

/**
 * The registry as the event store tells it: a model's stream folded on demand (streams are short: one event per
 * version registered or retired). Registrations never change, so they are cached once read.
 */
export class ModelCatalog {
  private readonly registrations = new Map<string, ModelVersionRegisteredV1>();

  constructor(private readonly store: EventStore) {}

  async history(name: string): Promise<ModelHistory> {
    const events = await this.store.readStream(modelStreamId(name));
    return ModelHistory.fold(name, events);
  }

  /** What the registry recorded for `name@version`; throws RegisteredVersionNotFoundError. */
  async registered(name: string, version: string): Promise<ModelVersionRegisteredV1> {
    const key = `${name}@${version}`;
    const cached = this.registrations.get(key);
    if (cached) return cached;
    const found = (await this.history(name)).version(version)?.registered;
    if (!found) throw new RegisteredVersionNotFoundError(name, version);
    this.registrations.set(key, found);
    return found;
  }

  /** The registration behind a deployed model, checked against the bytes the deployment names. */
  async forDeployed(model: DeployedModel): Promise<ModelVersionRegisteredV1> {
    const registered = await this.registered(model.name, model.version);
    if (registered.servedSha256 !== model.servedSha256) {
      throw new Error(
        `${model.name}@${model.version} is registered with served sha256 ${registered.servedSha256}, but the deployment names ${model.servedSha256}`,
      );
    }
    return registered;
  }
}

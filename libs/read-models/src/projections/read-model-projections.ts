import type { RecordedEvent } from '@verdict/event-store/event-store.port';
import type { EntityManager } from 'typeorm';
import { DecisionHistoryProjection } from './decision-history.projection';
import { DeploymentHistoryProjection } from './deployment-history.projection';
import { ModelRegistryProjection } from './model-registry.projection';
import type { Projection } from './projection';

/**
 * Every read model as one projection: one subscription, one checkpoint, one transaction per batch. Each event goes
 * to the part that handles it, in position order, so the read models are always consistent with one log prefix.
 */
export class ReadModelProjections implements Projection {
  static readonly NAME = 'read-models';
  readonly name = ReadModelProjections.NAME;
  readonly version = 1;
  readonly canHandle: readonly string[];
  private readonly byType = new Map<string, Projection>();

  constructor(readonly parts: readonly Projection[] = [new DecisionHistoryProjection(), new ModelRegistryProjection(), new DeploymentHistoryProjection()]) {
    for (const part of parts) for (const type of part.canHandle) this.byType.set(type, part);
    this.canHandle = [...this.byType.keys()];
  }

  async handle(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    // Runs of consecutive events for the same part keep each part's batching (decisions arrive by the hundred).
    let run: RecordedEvent[] = [];
    let owner: Projection | undefined;
    for (const event of events) {
      const part = this.byType.get(event.type);
      if (part === undefined) continue;
      if (part !== owner && run.length > 0) {
        await owner!.handle(run, manager);
        run = [];
      }
      owner = part;
      run.push(event);
    }
    if (owner && run.length > 0) await owner.handle(run, manager);
  }

  async truncate(manager: EntityManager): Promise<void> {
    for (const part of this.parts) await part.truncate(manager);
  }
}

import type { RecordedEvent } from '@verdict/event-store/event-store.port';
import type { EntityManager } from 'typeorm';
import { DecisionHistoryProjection } from './decision-history.projection';
import { DeploymentHistoryProjection } from './deployment-history.projection';
import { AlertsProjection } from './alerts.projection';
import { DriftHistogramsProjection } from './drift-histograms.projection';
import { LabelsProjection } from './labels.projection';
import { ModelRegistryProjection } from './model-registry.projection';
import { ReviewQueueProjection } from './review-queue.projection';
import { dialectOf, type ReadModelDialect } from '../sql-dialect';
import { isPreparing, type PreparingProjection, type Projection } from './projection';

/** Per part, in `parts` order: what it prepared, or (a part that does not prepare) its events; absent if none. */
export type PreparedParts = ({ readonly prepared: unknown } | { readonly events: readonly RecordedEvent[] } | null)[];

/** What the read models depend on beyond the log. */
export interface ReadModelOptions {
  /** Width of the drift histograms' windows (VERDICT_DRIFT_WINDOW_SECONDS); default an hour. */
  readonly driftWindowSeconds?: number;
}

/** The parts of the composite projection, in the order each batch is applied to them. */
export function readModelParts(options: ReadModelOptions = {}): Projection[] {
  return [
    new DecisionHistoryProjection(),
    new ModelRegistryProjection(),
    new DeploymentHistoryProjection(),
    new LabelsProjection(),
    new ReviewQueueProjection(),
    new AlertsProjection(),
    new DriftHistogramsProjection(options.driftWindowSeconds),
  ];
}

/**
 * Every read model as one projection: one subscription, one checkpoint, one transaction per batch. Each part gets the
 * events of its types from the batch, in position order (several parts may read the same type: DecisionMade feeds
 * the decision history and the review queue). Parts own separate tables, so the read models are always consistent
 * with one log prefix.
 */
export class ReadModelProjections implements PreparingProjection<PreparedParts> {
  static readonly NAME = 'read-models';
  readonly name = ReadModelProjections.NAME;
  readonly version = 1;
  readonly canHandle: readonly string[];
  private readonly byType = new Map<string, Projection[]>();

  constructor(readonly parts: readonly Projection[] = readModelParts()) {
    for (const part of parts) for (const type of part.canHandle) this.byType.set(type, [...(this.byType.get(type) ?? []), part]);
    this.canHandle = [...this.byType.keys()];
  }

  handle(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    return this.applyPrepared(this.prepare(events, dialectOf(manager)), manager);
  }

  prepare(events: readonly RecordedEvent[], dialect: ReadModelDialect): PreparedParts {
    const perPart = new Map<Projection, RecordedEvent[]>();
    for (const event of events) {
      for (const part of this.byType.get(event.type) ?? []) {
        const list = perPart.get(part);
        if (list) list.push(event);
        else perPart.set(part, [event]);
      }
    }
    return this.parts.map((part) => {
      const list = perPart.get(part);
      if (!list) return null;
      return isPreparing(part) ? { prepared: part.prepare(list, dialect) } : { events: list };
    });
  }

  async applyPrepared(prepared: PreparedParts, manager: EntityManager): Promise<void> {
    for (const [i, part] of this.parts.entries()) {
      const input = prepared[i];
      if (!input) continue;
      if ('events' in input) await part.handle(input.events, manager);
      else if (isPreparing(part)) await part.applyPrepared(input.prepared, manager);
      else throw new Error(`projection part ${part.name} was given prepared input but does not prepare`);
    }
  }

  async truncate(manager: EntityManager): Promise<void> {
    for (const part of this.parts) await part.truncate(manager);
  }
}

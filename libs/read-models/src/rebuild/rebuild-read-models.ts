import type { EventStore } from '@verdict/event-store/event-store.port';
import type { DataSource } from 'typeorm';
import { runExclusive } from '../exclusive-access';
import { applyProjectionBatch } from '../projections/apply-projection-batch';
import { deleteCheckpoint } from '../projections/checkpoint-store';
import { ReadModelProjections, readModelParts, type ReadModelOptions } from '../projections/read-model-projections';
import { projectionFilter, type Projection } from '../projections/projection';
import { deferSecondaryIndexes, restoreDeferredIndexes } from './deferred-indexes';

export interface RebuildReadModelsOptions {
  readonly dataSource: DataSource;
  readonly eventStore: EventStore;
  /** Default: every Verdict projection. */
  readonly projections?: readonly Projection[];
  /** Events read and applied per transaction. Default 1000. */
  readonly batchSize?: number;
  /** Called (and awaited) after each committed batch. */
  readonly onProgress?: (progress: { projection: string; checkpoint: bigint; events: number }) => void | Promise<void>;
}

export interface RebuiltProjection {
  readonly name: string;
  /** Events applied to the read model. */
  readonly events: number;
  readonly checkpoint: bigint;
}

/** Every projection Verdict runs, in the order a rebuild replays them. */
export const defaultProjections = (options: ReadModelOptions = {}): Projection[] => [new ReadModelProjections(readModelParts(options))];

/**
 * Empties the read models and their checkpoints, then replays the whole global log through the projections, batch
 * by batch with the same transactional step a live runner uses. Run it with the runners stopped: one that is live
 * meets a reset checkpoint and stops with CheckpointConflictError (as does the rebuild if a runner writes first).
 */
export async function rebuildReadModels(options: RebuildReadModelsOptions): Promise<RebuiltProjection[]> {
  const { dataSource, eventStore } = options;
  const projections = options.projections ?? defaultProjections();
  const batchSize = options.batchSize ?? 1000;

  await runExclusive(dataSource, () =>
    dataSource.transaction(async (manager) => {
      for (const projection of projections) {
        await projection.truncate(manager);
        await deleteCheckpoint(manager, projection.name);
      }
      await deferSecondaryIndexes(manager);
    }),
  );
  const restore = () => runExclusive(dataSource, () => restoreDeferredIndexes(dataSource));
  let results: RebuiltProjection[];
  try {
    results = await replay(options, projections, batchSize);
  } catch (error) {
    // The read models are partial then, but must not stay without their indexes either.
    await restore().catch((restoreError: unknown) => {
      throw new AggregateError([error, restoreError], 'rebuild failed, and so did building its deferred indexes again');
    });
    throw error;
  }
  await restore();
  return results;
}

async function replay(options: RebuildReadModelsOptions, projections: readonly Projection[], batchSize: number): Promise<RebuiltProjection[]> {
  const { dataSource, eventStore } = options;
  const results: RebuiltProjection[] = [];
  for (const projection of projections) {
    let checkpoint = 0n;
    let events = 0;
    const read = (after: bigint) => eventStore.readAll({ after, maxCount: batchSize, filter: projectionFilter(projection) });
    for (let next = read(checkpoint); ; ) {
      const page = await next;
      if (page.length === 0) break;
      // The next page is read while this one is applied: on a store across the network (PostgreSQL, EventStoreDB)
      // the read and the read model's writes overlap.
      next = read((page.at(-1) as { position: bigint }).position);
      next.catch(() => undefined); // awaited on the next turn; a failed apply must not leave it unhandled
      const applied = await applyProjectionBatch(dataSource, projection, page, checkpoint);
      // The store returned events after `checkpoint`, so the checkpoint must move; if not, stop rather than loop.
      if (applied.checkpoint <= checkpoint) throw new Error(`readAll after ${checkpoint} returned no later event`);
      checkpoint = applied.checkpoint;
      events += applied.applied;
      await options.onProgress?.({ projection: projection.name, checkpoint, events });
    }
    results.push({ name: projection.name, events, checkpoint });
  }
  return results;
}

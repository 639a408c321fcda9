import type { EventStoreSelection } from '@verdict/event-store';
import type { EventStore } from '@verdict/event-store/event-store.port';
import type { DataSource } from 'typeorm';
import { runExclusive } from '../exclusive-access';
import { applyPreparedBatches, applyProjectionBatch } from '../projections/apply-projection-batch';
import { deleteCheckpoint } from '../projections/checkpoint-store';
import { ReadModelProjections, readModelParts, type ReadModelOptions } from '../projections/read-model-projections';
import { projectionFilter, type Projection } from '../projections/projection';
import { dialectOf } from '../sql-dialect';
import { deferSecondaryIndexes, restoreDeferredIndexes } from './deferred-indexes';
import { PreparedLogReader } from './prepared-log-reader';

export interface RebuildReadModelsOptions {
  readonly dataSource: DataSource;
  readonly eventStore: EventStore;
  /** Default: every Verdict projection. */
  readonly projections?: readonly Projection[];
  /** Events read and applied per transaction. Default 1000. */
  readonly batchSize?: number;
  /**
   * Read and prepare the log on a worker thread with its own connection to this store, while this thread only
   * writes: about twice the speed on two cores. The projections are then the defaults built from `readModels`
   * (`projections` must not be given: a worker cannot be handed instances).
   */
  readonly worker?: { readonly store: EventStoreSelection; readonly readModels?: ReadModelOptions };
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
  if (options.worker && options.projections) throw new TypeError('rebuildReadModels: give `worker` or `projections`, not both');
  const projections = options.projections ?? defaultProjections(options.worker?.readModels);
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
  const restoreCheckpointing = await deferWalCheckpoints(dataSource);
  let results: RebuiltProjection[];
  try {
    results = options.worker
      ? [await replayOnWorker(options, options.worker, projections[0] as ReadModelProjections, batchSize)]
      : await replay(options, projections, batchSize);
  } catch (error) {
    // The read models are partial then, but must not stay without their indexes either.
    await restore().catch((restoreError: unknown) => {
      throw new AggregateError([error, restoreError], 'rebuild failed, and so did building its deferred indexes again');
    });
    throw error;
  } finally {
    await restoreCheckpointing();
  }
  await restore();
  return results;
}

/**
 * SQLite: no automatic WAL checkpoints while the rebuild loads, one at the end. Each automatic checkpoint copied
 * the pages the random-keyed unique indexes had just touched back into the database, over and over; without them the
 * WAL grows to about the size of the rows written, and the rebuild of 235k decisions took 10.5 s instead of 11.0 s
 * (docs/benchmarks.md). Returns the step that checkpoints and puts the setting back.
 */
async function deferWalCheckpoints(dataSource: DataSource): Promise<() => Promise<void>> {
  if (dialectOf(dataSource) !== 'sqlite') return async () => undefined;
  const [{ wal_autocheckpoint: pages }]: { wal_autocheckpoint: number }[] = await runExclusive(dataSource, () => dataSource.query('PRAGMA wal_autocheckpoint'));
  await runExclusive(dataSource, () => dataSource.query('PRAGMA wal_autocheckpoint = 0'));
  return () =>
    runExclusive(dataSource, async () => {
      await dataSource.query(`PRAGMA wal_autocheckpoint = ${Number(pages)}`);
      await dataSource.query('PRAGMA wal_checkpoint(TRUNCATE)');
    });
}

/** Events the worker reads and prepares at a time; `batchSize` events (several pages) go into one transaction. */
const PREPARED_PAGE_SIZE = 1000;

async function replayOnWorker(
  options: RebuildReadModelsOptions,
  worker: NonNullable<RebuildReadModelsOptions['worker']>,
  projection: ReadModelProjections,
  batchSize: number,
): Promise<RebuiltProjection> {
  const pagesPerBatch = Math.max(1, Math.round(batchSize / PREPARED_PAGE_SIZE));
  const reader = new PreparedLogReader({
    store: worker.store,
    readModels: worker.readModels ?? {},
    dialect: dialectOf(options.dataSource),
    pageSize: Math.min(batchSize, PREPARED_PAGE_SIZE),
    pagesAhead: 2 * pagesPerBatch,
  });
  try {
    let checkpoint = 0n;
    let events = 0;
    for (let pages = await reader.next(pagesPerBatch); pages.length > 0; pages = await reader.next(pagesPerBatch)) {
      const applied = await applyPreparedBatches(options.dataSource, projection, pages, checkpoint);
      checkpoint = applied.checkpoint;
      events += applied.applied;
      await options.onProgress?.({ projection: projection.name, checkpoint, events });
    }
    return { name: projection.name, events, checkpoint };
  } finally {
    await reader.close();
  }
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

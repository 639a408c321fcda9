import type { RecordedEvent } from '@verdict/event-store/event-store.port';
import type { DataSource, EntityManager } from 'typeorm';
import { runExclusive } from '../exclusive-access';
import { CheckpointConflictError } from '../read-model.errors';
import { readCheckpoint, writeCheckpoint } from './checkpoint-store';
import type { PreparingProjection, Projection } from './projection';

export interface AppliedBatch {
  /** The checkpoint after the batch. */
  readonly checkpoint: bigint;
  /** Events passed to the projection (duplicates and foreign types excluded). */
  readonly applied: number;
}

/**
 * The unit of progress: in ONE transaction, apply the events after the stored checkpoint and move the checkpoint to
 * the last of them. A crash anywhere inside leaves neither rows nor checkpoint, so the batch is re-applied exactly
 * once; events at or below the checkpoint (a redelivery) are dropped, and a batch of only those writes nothing.
 *
 * `expectedCheckpoint` is where the caller believes the checkpoint is; any other stored value means a second
 * writer or a reset and fails with CheckpointConflictError instead of interleaving two histories.
 */
export function applyProjectionBatch(
  dataSource: DataSource,
  projection: Projection,
  events: readonly RecordedEvent[],
  expectedCheckpoint: bigint,
): Promise<AppliedBatch> {
  let last = expectedCheckpoint;
  const fresh: RecordedEvent[] = [];
  for (const event of events) {
    if (event.position <= last) continue;
    last = event.position;
    if (projection.canHandle.includes(event.type)) fresh.push(event);
  }
  return commitBatch(dataSource, projection.name, expectedCheckpoint, { last, applied: fresh.length }, (manager) =>
    fresh.length > 0 ? projection.handle(fresh, manager) : Promise.resolve(),
  );
}

/** What a page of the log came to once prepared (PreparingProjection.prepare) elsewhere: see applyPreparedBatch. */
export interface PreparedBatch<P> {
  readonly prepared: P;
  /** The position of the page's last event, of any type: where the checkpoint moves. */
  readonly last: bigint;
  /** Events the preparation was given. */
  readonly applied: number;
}

/**
 * applyProjectionBatch for consecutive pages prepared from the events after `expectedCheckpoint` (and only those:
 * the preparer cannot see the checkpoint, so the caller guarantees it, as a rebuild reading from its own start does).
 * All of them go into one transaction, in order.
 */
export function applyPreparedBatches<P>(
  dataSource: DataSource,
  projection: PreparingProjection<P>,
  pages: readonly PreparedBatch<P>[],
  expectedCheckpoint: bigint,
): Promise<AppliedBatch> {
  let last = expectedCheckpoint;
  let applied = 0;
  for (const page of pages) {
    if (page.last <= last) throw new RangeError(`a prepared page ends at ${page.last}, not after ${last}`);
    last = page.last;
    applied += page.applied;
  }
  return commitBatch(dataSource, projection.name, expectedCheckpoint, { last, applied }, async (manager) => {
    for (const page of pages) if (page.applied > 0) await projection.applyPrepared(page.prepared, manager);
  });
}

function commitBatch(
  dataSource: DataSource,
  name: string,
  expectedCheckpoint: bigint,
  batch: { readonly last: bigint; readonly applied: number },
  write: (manager: EntityManager) => Promise<void>,
): Promise<AppliedBatch> {
  return runExclusive(dataSource, () =>
    dataSource.transaction(async (manager) => {
      const stored = await readCheckpoint(manager, name, { lock: true });
      if (stored !== expectedCheckpoint) throw new CheckpointConflictError(name, expectedCheckpoint, stored);
      if (batch.last === stored) return { checkpoint: stored, applied: 0 };
      await write(manager);
      await writeCheckpoint(manager, name, batch.last);
      return { checkpoint: batch.last, applied: batch.applied };
    }),
  );
}

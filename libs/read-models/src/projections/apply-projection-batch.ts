import type { RecordedEvent } from '@verdict/event-store/event-store.port';
import type { DataSource } from 'typeorm';
import { runExclusive } from '../exclusive-access';
import { CheckpointConflictError } from '../read-model.errors';
import { readCheckpoint, writeCheckpoint } from './checkpoint-store';
import type { Projection } from './projection';

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
  return runExclusive(dataSource, () =>
    dataSource.transaction(async (manager) => {
      const stored = await readCheckpoint(manager, projection.name, { lock: true });
      if (stored !== expectedCheckpoint) throw new CheckpointConflictError(projection.name, expectedCheckpoint, stored);

      let last = stored;
      const fresh: RecordedEvent[] = [];
      for (const event of events) {
        if (event.position <= last) continue;
        last = event.position;
        if (projection.canHandle.includes(event.type)) fresh.push(event);
      }
      if (last === stored) return { checkpoint: stored, applied: 0 };

      if (fresh.length > 0) await projection.handle(fresh, manager);
      await writeCheckpoint(manager, projection.name, last);
      return { checkpoint: last, applied: fresh.length };
    }),
  );
}

import {
  MODEL_VERSION_REGISTERED,
  MODEL_VERSION_RETIRED,
  type ModelVersionRegisteredV1,
  type ModelVersionRetiredV1,
} from '@verdict/domain/models/model-events';
import type { RecordedEvent } from '@verdict/event-store/event-store.port';
import type { EntityManager } from 'typeorm';
import { ModelVersionRecord } from '../entities/model-version-record.entity';
import { bigintParam, booleanParam, dialectOf, emptyTable, param, tableOf, timestampParam } from '../sql-dialect';
import type { Projection } from './projection';

/** model_versions: one row per registered version; a retirement fills in its retired_* columns. */
export class ModelRegistryProjection implements Projection {
  static readonly NAME = 'model-registry';
  readonly name = ModelRegistryProjection.NAME;
  readonly version = 1;
  readonly canHandle = [MODEL_VERSION_REGISTERED, MODEL_VERSION_RETIRED] as const;

  async handle(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const dialect = dialectOf(manager);
    const table = tableOf(manager, ModelVersionRecord);
    const p = (n: number) => param(dialect, n);
    for (const event of events) {
      if (event.type === MODEL_VERSION_REGISTERED) {
        const e = event.data as unknown as ModelVersionRegisteredV1;
        const cast = dialect === 'postgres' ? '::jsonb' : '';
        // The same registration again (a redelivery or a rebuild) is a no-op.
        await manager.query(
          `INSERT INTO ${table} ("name", "version", "sha256", "served_sha256", "size_bytes", "decides", "registered_at", "registered_by", "manifest", "signature", "position")
           VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}, ${p(8)}, ${p(9)}${cast}, ${p(10)}${cast}, ${p(11)})
           ON CONFLICT ("name", "version") DO NOTHING`,
          [
            e.name, e.version, e.sha256, e.servedSha256, e.sizeBytes, booleanParam(dialect, e.manifest.features !== undefined),
            timestampParam(dialect, new Date(e.registeredAt)), e.actor, JSON.stringify(e.manifest), JSON.stringify(e.signature), bigintParam(dialect, event.position),
          ],
        );
      } else {
        const e = event.data as unknown as ModelVersionRetiredV1;
        await manager.query(
          `UPDATE ${table} SET "retired_at" = ${p(1)}, "retired_by" = ${p(2)}, "retired_reason" = ${p(3)} WHERE "name" = ${p(4)} AND "version" = ${p(5)}`,
          [timestampParam(dialect, new Date(e.retiredAt)), e.actor, e.reason, e.name, e.version],
        );
      }
    }
  }

  async truncate(manager: EntityManager): Promise<void> {
    await emptyTable(manager, ModelVersionRecord);
  }
}

import {
  DEPLOYMENT_EVENT_TYPES,
  evolveDeployment,
  INITIAL_DEPLOYMENT_STATE,
  type DeploymentEvent,
  type DeploymentState,
} from '@verdict/domain/deployment';
import type { RecordedEvent } from '@verdict/event-store/event-store.port';
import type { EntityManager } from 'typeorm';
import { DeploymentHistoryRecord } from '../entities/deployment-history-record.entity';
import { UnsupportedEventSchemaError } from '../read-model.errors';
import { bigintParam, booleanParam, dialectOf, emptyTable, param, tableOf, timestampParam } from '../sql-dialect';
import type { Projection } from './projection';

/**
 * deployment_history: one row per deployment event with the state it made (the fold of the stream up to it), so
 * history pages and point-in-time reads need no fold. Revisions are applied strictly in order: a gap stops the
 * projection instead of storing a state that skipped a change.
 */
export class DeploymentHistoryProjection implements Projection {
  static readonly NAME = 'deployment-history';
  readonly name = DeploymentHistoryProjection.NAME;
  readonly version = 1;
  readonly canHandle = DEPLOYMENT_EVENT_TYPES;

  async handle(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const dialect = dialectOf(manager);
    const table = tableOf(manager, DeploymentHistoryRecord);
    const p = (n: number) => param(dialect, n);
    const rows = (await manager.query(`SELECT "revision", "state" FROM ${table} ORDER BY "revision" DESC LIMIT 1`)) as { revision: number; state: unknown }[];
    let state: DeploymentState = rows[0] ? parse(rows[0].state) : INITIAL_DEPLOYMENT_STATE;
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as unknown as DeploymentEvent;
      const revision = Number(recorded.revision) + 1;
      if (revision <= state.revision) continue; // already applied (a redelivery or a rebuild)
      if (revision !== state.revision + 1 || event.data.revision !== revision) {
        throw new UnsupportedEventSchemaError(this.name, recorded.type, recorded.position, `revision ${revision} follows revision ${state.revision}`);
      }
      state = evolveDeployment(state, event);
      const cast = dialect === 'postgres' ? '::jsonb' : '';
      const automatic = 'automatic' in event.data ? Boolean(event.data.automatic) : false;
      await manager.query(
        `INSERT INTO ${table} ("revision", "type", "at", "actor", "reason", "automatic", "position", "event", "state")
         VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}, ${p(8)}${cast}, ${p(9)}${cast})`,
        [
          revision, recorded.type, timestampParam(dialect, new Date(event.data.at)), event.data.actor, event.data.reason,
          booleanParam(dialect, automatic), bigintParam(dialect, recorded.position),
          JSON.stringify(event.data), JSON.stringify(state),
        ],
      );
    }
  }

  async truncate(manager: EntityManager): Promise<void> {
    await emptyTable(manager, DeploymentHistoryRecord);
  }
}

/** jsonb comes back parsed (pg), text as a string (SQLite). */
export const parse = <T>(value: unknown): T => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));

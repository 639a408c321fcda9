import { alertOf, ALERT_TYPES, isAlertType } from '@verdict/domain/monitoring/alerts';
import type { RecordedEvent } from '@verdict/event-store/event-store.port';
import type { EntityManager } from 'typeorm';
import { AlertRecord } from '../entities/alert-record.entity';
import { bigintParam, dialectOf, emptyTable, param, tableOf, timestampParam } from '../sql-dialect';
import type { Projection } from './projection';

const COLUMNS = ['alert_id', 'type', 'model', 'version', 'raised_at', 'position', 'summary', 'data'] as const;

/** alerts: one row per alert event, keyed by the event id (a repeat is a no-op). */
export class AlertsProjection implements Projection {
  readonly name = 'alerts';
  readonly version = 1;
  readonly canHandle = ALERT_TYPES;

  async handle(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const dialect = dialectOf(manager);
    const table = tableOf(manager, AlertRecord);
    for (const event of events) {
      if (!isAlertType(event.type)) continue;
      const a = alertOf({ id: event.id, type: event.type, data: event.data, position: event.position, recordedAt: event.recordedAt });
      const values = [a.alertId, a.type, a.model, a.version, timestampParam(dialect, new Date(a.raisedAt)), bigintParam(dialect, event.position), a.summary, JSON.stringify(a.data)];
      await manager.query(
        `INSERT INTO ${table} (${COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES (${COLUMNS.map((_, i) => param(dialect, i + 1)).join(', ')}) ON CONFLICT ("alert_id") DO NOTHING`,
        values,
      );
    }
  }

  async truncate(manager: EntityManager): Promise<void> {
    await emptyTable(manager, AlertRecord);
  }
}

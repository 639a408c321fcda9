import type { Alert, AlertType } from '@verdict/domain/monitoring/alerts';
import type { DataSource } from 'typeorm';
import { AlertRecord } from '../entities/alert-record.entity';
import { runExclusive } from '../exclusive-access';
import { bigintParam, dialectOf, timestampValue } from '../sql-dialect';
import { decodeDecisionCursor, encodeDecisionCursor } from './decision-cursor';

export interface AlertListQuery {
  readonly type?: AlertType;
  readonly model?: string;
  readonly limit: number;
  readonly cursor?: string;
}

export interface AlertPage {
  readonly items: Alert[];
  readonly nextCursor: string | null;
}

/** Alerts newest first (by log position), by type and model; the cursor is a position bound as for decisions. */
export class AlertQueries {
  constructor(private readonly dataSource: DataSource) {}

  async list(q: AlertListQuery): Promise<AlertPage> {
    const dialect = dialectOf(this.dataSource);
    const query = this.dataSource
      .createQueryBuilder()
      .from(AlertRecord, 'a')
      .select('a.alertId', 'alertId')
      .addSelect('a.type', 'type')
      .addSelect('a.model', 'model')
      .addSelect('a.version', 'version')
      .addSelect('a.raisedAt', 'raisedAt')
      .addSelect('CAST(a.position AS TEXT)', 'position')
      .addSelect('a.summary', 'summary')
      .addSelect('a.data', 'data');
    if (q.type) query.andWhere('a.type = :type', { type: q.type });
    if (q.model) query.andWhere('a.model = :model', { model: q.model });
    if (q.cursor) query.andWhere('a.position < :before', { before: bigintParam(dialect, decodeDecisionCursor(q.cursor)) });
    query.orderBy('a.position', 'DESC').limit(q.limit + 1);
    const rows = await runExclusive(this.dataSource, () => query.getRawMany<Record<string, unknown>>());
    const items = rows.slice(0, q.limit).map(
      (r): Alert => ({
        alertId: String(r.alertId),
        type: r.type as AlertType,
        model: r.model == null ? null : String(r.model),
        version: r.version == null ? null : String(r.version),
        raisedAt: timestampValue(r.raisedAt).toISOString(),
        position: String(r.position),
        summary: String(r.summary),
        // jsonb arrives parsed, SQLite text does not.
        data: typeof r.data === 'string' ? (JSON.parse(r.data) as unknown) : r.data,
      }),
    );
    return { items, nextCursor: rows.length > q.limit ? encodeDecisionCursor(BigInt(items[q.limit - 1].position)) : null };
  }
}

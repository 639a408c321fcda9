import type { Outcome } from '@verdict/domain/decision-made.event';
import type { LabelValue } from '@verdict/domain/labels/transaction-labelled.event';
import { SCORE_BINS, type PerformanceCell } from '@verdict/domain/monitoring/model-performance';
import type { DataSource } from 'typeorm';
import { DecisionRecord } from '../entities/decision-record.entity';
import { LabelRecord } from '../entities/label-record.entity';
import { runExclusive } from '../exclusive-access';
import { dialectOf, tableOf, timestampParam } from '../sql-dialect';

export interface PerformanceQuery {
  readonly model: string;
  readonly version: string;
  /** decidedAt ≥ from, < to. */
  readonly from: Date;
  readonly to: Date;
  readonly arm?: 'champion' | 'challenger';
  /** Only labels reported at or before this instant count. */
  readonly asOf: Date;
}

/**
 * A model version's decisions joined with the label in force for each as of `asOf` (the latest reportedAt ≤ asOf;
 * ties by log position), grouped into cells for `performanceOf`: day, arm, outcome, label, score bin.
 */
export class ModelPerformanceQueries {
  constructor(private readonly dataSource: DataSource) {}

  async cells(q: PerformanceQuery): Promise<PerformanceCell[]> {
    const dialect = dialectOf(this.dataSource);
    const manager = this.dataSource.manager;
    const decisions = tableOf(manager, DecisionRecord);
    const labels = tableOf(manager, LabelRecord);
    const pg = dialect === 'postgres';
    const p = (n: number) => (pg ? `$${n}` : '?');
    const day = pg ? `to_char(d."decided_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD')` : `substr(d."decided_at", 1, 10)`;
    const bin = pg ? `LEAST(${SCORE_BINS - 1}, GREATEST(0, floor(d."score" * ${SCORE_BINS})::int))` : `min(${SCORE_BINS - 1}, max(0, CAST(d."score" * ${SCORE_BINS} AS INTEGER)))`;
    const params: unknown[] = [timestampParam(dialect, q.asOf), q.model, q.version, timestampParam(dialect, q.from), timestampParam(dialect, q.to)];
    if (q.arm) params.push(q.arm);
    const sql = `
      SELECT ${day} AS "day", d."arm" AS "arm", d."outcome" AS "outcome", e."label" AS "label", ${bin} AS "bin",
             COUNT(*) AS "count", SUM(COALESCE(e."amount", d."amount")) AS "amount"
      FROM ${decisions} d
      LEFT JOIN (
        SELECT l."transaction_id", l."label", l."amount",
               ROW_NUMBER() OVER (PARTITION BY l."transaction_id" ORDER BY l."reported_at" DESC, l."position" DESC) AS "rn"
        FROM ${labels} l WHERE l."reported_at" <= ${p(1)}
      ) e ON e."transaction_id" = d."transaction_id" AND e."rn" = 1
      WHERE d."model_name" = ${p(2)} AND d."model_version" = ${p(3)} AND d."decided_at" >= ${p(4)} AND d."decided_at" < ${p(5)}
        ${q.arm ? `AND d."arm" = ${p(6)}` : ''}
      GROUP BY 1, 2, 3, 4, 5
      ORDER BY 1, 2, 3, 4, 5`;
    const rows = await runExclusive(this.dataSource, () => this.dataSource.query(sql, params) as Promise<Record<string, unknown>[]>);
    return rows.map((r) => ({
      day: String(r.day),
      arm: String(r.arm),
      outcome: r.outcome as Outcome,
      label: r.label === null ? null : (r.label as LabelValue),
      bin: Number(r.bin),
      count: Number(r.count),
      amount: Number(r.amount),
    }));
  }
}

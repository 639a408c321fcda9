import type { DriftBinning, WindowHistogram } from '@verdict/domain';
import type { DataSource } from 'typeorm';
import { DriftBinningRecord } from '../entities/drift-binning-record.entity';
import { DriftWindowRecord } from '../entities/drift-window-record.entity';
import { runExclusive } from '../exclusive-access';
import { readCheckpoint } from '../projections/checkpoint-store';
import { parseBinning } from '../projections/drift-rows';
import { ReadModelProjections } from '../projections/read-model-projections';
import { dialectOf, param, tableOf, timestampParam, timestampValue } from '../sql-dialect';

export interface DriftVersion {
  readonly model: string;
  readonly version: string;
  readonly binning: DriftBinning;
}

/** One stored window: its start (ms since the epoch) and its histograms. */
export interface StoredDriftWindow {
  readonly startMs: number;
  readonly histogram: WindowHistogram;
}

type WindowRow = { window_start: unknown; decisions: number | string; histograms: string };

const toWindow = (r: WindowRow): StoredDriftWindow => ({
  startMs: timestampValue(r.window_start).getTime(),
  histogram: { decisions: Number(r.decisions), series: JSON.parse(r.histograms) as WindowHistogram['series'] },
});

/** Reads of the drift read model (drift_binnings, drift_windows) for the monitor and GET /v1/monitoring/drift. */
export class DriftQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** Versions the projection knows how to count, by model name then in the order it learnt of them; one model or all. */
  async versions(model?: string): Promise<DriftVersion[]> {
    const dialect = dialectOf(this.dataSource);
    const where = model === undefined ? '' : ` WHERE "model_name" = ${param(dialect, 1)}`;
    const rows = (await this.query(
      `SELECT "model_name", "model_version", "kind", "binning" FROM ${tableOf(this.dataSource.manager, DriftBinningRecord)}${where} ORDER BY "model_name", "position"`,
      model === undefined ? [] : [model],
    )) as { model_name: string; model_version: string; kind: string; binning: string }[];
    return rows.map((r) => ({ model: r.model_name, version: r.model_version, binning: parseBinning(r.kind, r.binning) }));
  }

  /** Windows of `windowSeconds` of one version starting in [fromMs, toMs), oldest first, at most `limit`. */
  async windows(model: string, version: string, windowSeconds: number, fromMs: number, toMs: number, limit = 10_000): Promise<StoredDriftWindow[]> {
    const dialect = dialectOf(this.dataSource);
    const p = (n: number) => param(dialect, n);
    const rows = (await this.query(
      `SELECT "window_start", "decisions", "histograms" FROM ${tableOf(this.dataSource.manager, DriftWindowRecord)}
       WHERE "model_name" = ${p(1)} AND "model_version" = ${p(2)} AND "window_seconds" = ${p(3)} AND "window_start" >= ${p(4)} AND "window_start" < ${p(5)}
       ORDER BY "window_start" LIMIT ${Math.max(1, Math.floor(limit))}`,
      [model, version, windowSeconds, timestampParam(dialect, new Date(fromMs)), timestampParam(dialect, new Date(toMs))],
    )) as WindowRow[];
    return rows.map(toWindow);
  }

  /** The version's earliest window with at least `minDecisions` decisions: a first-window baseline. */
  async firstFullWindow(model: string, version: string, windowSeconds: number, minDecisions: number): Promise<StoredDriftWindow | null> {
    const dialect = dialectOf(this.dataSource);
    const p = (n: number) => param(dialect, n);
    const rows = (await this.query(
      `SELECT "window_start", "decisions", "histograms" FROM ${tableOf(this.dataSource.manager, DriftWindowRecord)}
       WHERE "model_name" = ${p(1)} AND "model_version" = ${p(2)} AND "window_seconds" = ${p(3)} AND "decisions" >= ${p(4)}
       ORDER BY "window_start" LIMIT 1`,
      [model, version, windowSeconds, minDecisions],
    )) as WindowRow[];
    return rows.length === 0 ? null : toWindow(rows[0] as WindowRow);
  }

  /** Position of the last event the read models have applied. */
  checkpoint(): Promise<bigint> {
    return runExclusive(this.dataSource, () => readCheckpoint(this.dataSource.manager, ReadModelProjections.NAME));
  }

  private query(sql: string, parameters: unknown[]): Promise<unknown[]> {
    return runExclusive(this.dataSource, () => this.dataSource.query(sql, parameters));
  }
}

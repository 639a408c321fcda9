import { INITIAL_DEPLOYMENT_STATE, type DeploymentState } from '@verdict/domain/deployment';
import type { DataSource } from 'typeorm';
import { DeploymentHistoryRecord } from '../entities/deployment-history-record.entity';
import { runExclusive } from '../exclusive-access';
import { InvalidCursorError } from '../read-model.errors';
import { parse } from '../projections/deployment-history.projection';
import { dialectOf, param, tableOf, timestampParam, timestampValue } from '../sql-dialect';

export interface DeploymentHistoryItem {
  readonly revision: number;
  readonly type: string;
  readonly at: string;
  readonly actor: string;
  readonly reason: string;
  readonly automatic: boolean;
  readonly position: number;
  readonly event: Record<string, unknown>;
}

export interface DeploymentHistoryPage {
  readonly items: readonly DeploymentHistoryItem[];
  readonly nextCursor: string | null;
}

const REVISION = /^[1-9]\d{0,9}$/;
export const encodeRevisionCursor = (revision: number): string => Buffer.from(String(revision), 'utf8').toString('base64url');

/** @throws InvalidCursorError for anything encodeRevisionCursor did not produce. */
export function decodeRevisionCursor(cursor: string): number {
  const text = /^[A-Za-z0-9_-]{1,16}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!REVISION.test(text) || encodeRevisionCursor(Number(text)) !== cursor) throw new InvalidCursorError(cursor);
  return Number(text);
}

type Row = { revision: number; type: string; at: unknown; actor: string; reason: string; automatic: unknown; position: unknown; event: unknown; state?: unknown };

/** The deployment's history, newest first, and the state recorded at any revision. */
export class DeploymentHistoryQueries {
  constructor(private readonly dataSource: DataSource) {}

  async list(params: { readonly limit: number; readonly cursor?: string }): Promise<DeploymentHistoryPage> {
    const before = params.cursor === undefined ? undefined : decodeRevisionCursor(params.cursor);
    const dialect = dialectOf(this.dataSource);
    const table = tableOf(this.dataSource.manager, DeploymentHistoryRecord);
    // Parameters in order of appearance: SQLite's "?" binds positionally.
    const where = before === undefined ? '' : `WHERE "revision" < ${param(dialect, 1)}`;
    const values = before === undefined ? [params.limit + 1] : [before, params.limit + 1];
    const rows = (await runExclusive(this.dataSource, () =>
      this.dataSource.query(
        `SELECT "revision", "type", "at", "actor", "reason", "automatic", CAST("position" AS TEXT) AS "position", "event" FROM ${table} ${where} ORDER BY "revision" DESC LIMIT ${param(dialect, values.length)}`,
        values,
      ),
    )) as Row[];
    const items = rows.slice(0, params.limit).map(toItem);
    return { items, nextCursor: rows.length > params.limit ? encodeRevisionCursor(items[items.length - 1].revision) : null };
  }

  /** The state in force at `at` (the last event with at ≤ it), and the revision that made it; the initial state before any. */
  async stateAt(at: Date): Promise<{ state: DeploymentState; revision: number }> {
    const dialect = dialectOf(this.dataSource);
    const table = tableOf(this.dataSource.manager, DeploymentHistoryRecord);
    const rows = (await runExclusive(this.dataSource, () =>
      this.dataSource.query(`SELECT "revision", "state" FROM ${table} WHERE "at" <= ${param(dialect, 1)} ORDER BY "revision" DESC LIMIT 1`, [timestampParam(dialect, at)]),
    )) as { revision: number; state: unknown }[];
    return rows[0] ? { state: parse<DeploymentState>(rows[0].state), revision: Number(rows[0].revision) } : { state: INITIAL_DEPLOYMENT_STATE, revision: 0 };
  }
}

function toItem(r: Row): DeploymentHistoryItem {
  return {
    revision: Number(r.revision),
    type: r.type,
    at: timestampValue(r.at).toISOString(),
    actor: r.actor,
    reason: r.reason,
    automatic: r.automatic === true || r.automatic === 1,
    position: Number(r.position),
    event: parse<Record<string, unknown>>(r.event),
  };
}

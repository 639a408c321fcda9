import { UnreadableEventError } from '../event-store.errors';
import type { EventFilter, RecordedEvent, RecordedEventText } from '../event-store.port';

/** A row of `events` as read with safeIntegers on: every INTEGER column is a bigint. */
export interface SqliteEventRow {
  position: bigint;
  event_id: string;
  stream_id: string;
  revision: bigint;
  type: string;
  data: string;
  metadata: string;
  recorded_at: bigint;
  /** 1n when this build's writer stored the text (canonical JSON); 0n for rows older builds wrote. */
  canonical: bigint;
}

/** The columns read; without a `canonical` column (an older file a read-only store must not migrate) no row is vouched for. */
export const eventColumns = (hasCanonicalColumn: boolean): string =>
  `position, event_id, stream_id, revision, type, data, metadata, recorded_at, ${hasCanonicalColumn ? 'canonical' : '0 AS canonical'}`;

export function toRecordedEvent(row: SqliteEventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.type,
    streamId: row.stream_id,
    revision: row.revision,
    position: row.position,
    data: parseColumn(row, 'data'),
    metadata: parseColumn(row, 'metadata'),
    recordedAt: new Date(Number(row.recorded_at)),
  };
}

/** SQLite keeps any text: a row written behind the store may not parse, and the error must say which event it is. */
function parseColumn(row: SqliteEventRow, column: 'data' | 'metadata'): Record<string, unknown> {
  try {
    return JSON.parse(row[column]) as Record<string, unknown>;
  } catch (e) {
    throw new UnreadableEventError(row.stream_id, row.revision, row.position, `its ${column} is not JSON (${(e as Error).message})`);
  }
}

export function toRecordedEventText(row: SqliteEventRow): RecordedEventText {
  return {
    id: row.event_id,
    type: row.type,
    streamId: row.stream_id,
    revision: row.revision,
    position: row.position,
    dataJson: row.data,
    metadataJson: row.metadata,
    canonical: row.canonical === 1n,
    recordedAt: new Date(Number(row.recorded_at)),
  };
}

export interface FilterSql {
  /** `AND (...)` clauses to append to a WHERE, or '' for no filter. */
  readonly sql: string;
  readonly params: string[];
}

/**
 * Prefix matching with substr() rather than LIKE/GLOB: LIKE is case-insensitive for ASCII and both treat `%`, `_`,
 * `*`, `?` and `[` in a prefix as wildcards. Both lists present means both must match; within a list any prefix does.
 */
export function filterToSql(filter: EventFilter | undefined): FilterSql {
  const clauses: string[] = [];
  const params: string[] = [];
  const addList = (column: string, prefixes: readonly string[] | undefined): void => {
    if (prefixes === undefined || prefixes.length === 0) return;
    clauses.push(`(${prefixes.map(() => `substr(${column}, 1, length(?)) = ?`).join(' OR ')})`);
    for (const p of prefixes) params.push(p, p);
  };
  addList('stream_id', filter?.streamPrefixes);
  addList('type', filter?.eventTypePrefixes);
  return { sql: clauses.map((c) => ` AND ${c}`).join(''), params };
}

import type { EventFilter, RecordedEvent, RecordedEventText } from '../event-store.port';

/** Columns every read selects, in the shape `toRecordedEvent` expects. */
export const EVENT_COLUMNS =
  'e.position, e.stream_id, e.revision, e.event_id, e.type, e.data, e.metadata, e.recorded_at';

export interface EventRow {
  position: string; // int8 arrives as text: it does not fit a JS number
  stream_id: string;
  revision: string;
  event_id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  recorded_at: Date;
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.type,
    streamId: row.stream_id,
    revision: BigInt(row.revision),
    position: BigInt(row.position),
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at,
  };
}

/** The same columns with data and metadata as jsonb's text output rather than parsed by the driver. */
export const EVENT_TEXT_COLUMNS =
  'e.position, e.stream_id, e.revision, e.event_id, e.type, e.data::text AS data, e.metadata::text AS metadata, e.recorded_at';

export interface EventTextRow extends Omit<EventRow, 'data' | 'metadata'> {
  data: string;
  metadata: string;
}

export function toRecordedEventText(row: EventTextRow): RecordedEventText {
  return {
    id: row.event_id,
    type: row.type,
    streamId: row.stream_id,
    revision: BigInt(row.revision),
    position: BigInt(row.position),
    dataJson: row.data,
    metadataJson: row.metadata,
    // jsonb's text output orders keys by length first: never canonical.
    canonical: false,
    recordedAt: row.recorded_at,
  };
}

/** A LIKE pattern matching strings that start with `prefix` literally (default escape character is backslash). */
function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * SQL conditions for a filter, appending its parameters to `params`. Within a part any prefix may match; when both
 * parts are given an event must match both. An absent or empty part does not constrain.
 */
export function filterConditions(filter: EventFilter | undefined, params: unknown[]): string[] {
  const conditions: string[] = [];
  if (filter?.streamPrefixes && filter.streamPrefixes.length > 0) {
    params.push(filter.streamPrefixes.map(likePrefix));
    conditions.push(`e.stream_id LIKE ANY ($${params.length}::text[])`);
  }
  if (filter?.eventTypePrefixes && filter.eventTypePrefixes.length > 0) {
    params.push(filter.eventTypePrefixes.map(likePrefix));
    conditions.push(`e.type LIKE ANY ($${params.length}::text[])`);
  }
  return conditions;
}

import { jsonEvent, type EventData as EsdbEventData, type ResolvedEvent } from '@eventstore/db-client';
import type { ValidatedAppend } from '../append-validation';
import { EventStoreUnavailableError } from '../event-store.errors';
import type { EventData, EventFilter, RecordedEvent } from '../event-store.port';

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
// What the server sends for "no position" (ulong.MaxValue).
const NO_POSITION = 0xffff_ffff_ffff_ffffn;

/** `$` marks EventStoreDB's own streams ($users, $$metadata, $stats...) and event types ($metadata, $>...). */
const isSystemName = (name: string): boolean => name.startsWith('$');

/**
 * The client's JSON events for an append the shared validation accepted: its lower-case ids and types, and the
 * caller's data and metadata objects (the client serialises them itself).
 */
export function toEsdbEvents(append: ValidatedAppend, events: readonly EventData[]): EsdbEventData[] {
  return append.events.map(({ id, type }, i) => jsonEvent({ id, type, data: events[i].data as never, metadata: events[i].metadata }));
}

/**
 * Our `position` is the event's commit position. Every event written through gRPC is its own implicitly committed
 * prepare record, so the server reports commit == prepare == the record's log offset: unique per event and strictly
 * increasing in $all order, also inside a multi-event append (whose append result carries the last event's offset).
 * Only legacy explicit transactions (TCP API, gone in v24) shared one commit position between events.
 * Stream reads carry positions from server 22.6 on (self-committed events); older servers are not supported.
 */
export function toRecordedEvent(resolved: ResolvedEvent): RecordedEvent {
  const event = resolved.event;
  if (!event) throw new EventStoreUnavailableError('EventStoreDB returned a link whose event is missing');
  const commit = event.position?.commit ?? resolved.commitPosition;
  if (commit === undefined || commit === NO_POSITION) {
    throw new EventStoreUnavailableError(
      `EventStoreDB did not report a position for ${event.streamId}@${event.revision} (server older than 22.6?)`,
    );
  }
  if (!event.isJson || !isPlainObject(event.data)) {
    throw new EventStoreUnavailableError(`Event ${event.id} in "${event.streamId}" is not a JSON object event`);
  }
  return {
    id: event.id,
    type: event.type,
    streamId: event.streamId,
    revision: event.revision,
    position: commit,
    data: event.data,
    metadata: isPlainObject(event.metadata) ? event.metadata : {},
    recordedAt: event.created,
  };
}

/**
 * True for events our port shows from the global log. System events are hidden unless a filter prefix starts with
 * `$`; events that are not JSON objects were not written through this port and are hidden too. Within a filter part
 * any prefix may match, both parts given means both must match, an empty part does not constrain (as in the SQL
 * adapters).
 */
export function isVisible(resolved: ResolvedEvent, filter: EventFilter | undefined): boolean {
  const event = resolved.event;
  if (!event || !event.isJson || !isPlainObject(event.data)) return false;
  const streams = filter?.streamPrefixes?.length ? filter.streamPrefixes : undefined;
  const types = filter?.eventTypePrefixes?.length ? filter.eventTypePrefixes : undefined;
  const asksForSystem = [...(streams ?? []), ...(types ?? [])].some(isSystemName);
  if (!asksForSystem && (isSystemName(event.streamId) || isSystemName(event.type))) return false;
  if (streams && !streams.some((p) => event.streamId.startsWith(p))) return false;
  if (types && !types.some((p) => event.type.startsWith(p))) return false;
  return true;
}

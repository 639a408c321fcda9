import {
  newEventId,
  ACCESS_RECORDED,
  ACCESS_RECORDED_SCHEMA_VERSION,
  accessStreamId,
  callerMetadata,
  type AccessRecorded,
  type Principal,
} from '@verdict/domain';
import { ANY, type EventStore } from '@verdict/event-store';

export interface AccessEntry {
  readonly principal: Principal;
  readonly operation: string;
  readonly parameters: Record<string, unknown>;
  readonly status: number;
  readonly records: number;
}

export interface AccessPage {
  readonly items: (AccessRecorded & { readonly position: number })[];
  /** Where the next page starts (`<day>:<revision>`), or null at the end of the range. */
  readonly nextCursor: string | null;
}

export interface AccessQuery {
  /** UTC days, inclusive. */
  readonly fromDay: string;
  readonly toDay: string;
  readonly client?: string;
  readonly cursor?: { day: string; revision: number };
  readonly limit: number;
}

const DAY_MS = 86_400_000;
const READ_BATCH = 1_000;

/** Objects carrying a decisionId in an answer: what "records" counts for every read of decision data. */
export function countDecisionRecords(value: unknown, depth = 0): number {
  if (value === null || typeof value !== 'object' || depth > 8) return 0;
  if (Array.isArray(value)) return value.reduce<number>((n, v) => n + countDecisionRecords(v, depth + 1), 0);
  const own = typeof (value as { decisionId?: unknown }).decisionId === 'string' ? 1 : 0;
  let nested = 0;
  for (const v of Object.values(value)) if (v !== null && typeof v === 'object') nested += countDecisionRecords(v, depth + 1);
  return own + nested;
}

/**
 * The access log: one AccessRecorded per read of decision data, appended to the day's stream and awaited before the
 * data is answered (an access is never served unrecorded). Appends go through the store's group commit, so many
 * readers share a commit. Read back by day range, oldest first. `protect` replaces the personal values among a read's
 * parameters (a card id in a filter) by their pseudonyms: the log is immutable and must not outlive an erasure.
 */
export class AccessLog {
  constructor(
    private readonly store: EventStore,
    private readonly protect: (parameters: Record<string, unknown>) => Record<string, unknown>,
  ) {}

  async record(entry: AccessEntry): Promise<void> {
    const at = new Date().toISOString();
    const data: AccessRecorded = {
      schemaVersion: ACCESS_RECORDED_SCHEMA_VERSION,
      caller: callerMetadata(entry.principal),
      roles: entry.principal.roles,
      operation: entry.operation,
      parameters: this.protect(entry.parameters),
      status: entry.status,
      records: entry.records,
      at,
    };
    await this.store.appendToStream(accessStreamId(at), [{ id: newEventId(), type: ACCESS_RECORDED, data: { ...data }, metadata: { schemaVersion: ACCESS_RECORDED_SCHEMA_VERSION } }], { expectedRevision: ANY });
  }

  async read(query: AccessQuery): Promise<AccessPage> {
    const items: AccessPage['items'][number][] = [];
    let day = query.cursor?.day ?? query.fromDay;
    let revision = query.cursor?.revision ?? 0;
    while (day <= query.toDay) {
      const events = await this.store.readStream(accessStreamId(day), { fromRevision: BigInt(revision), maxCount: READ_BATCH });
      for (const e of events) {
        const data = e.data as unknown as AccessRecorded;
        if (e.type !== ACCESS_RECORDED || (query.client !== undefined && data.caller.client !== query.client)) continue;
        if (items.length === query.limit) return { items, nextCursor: `${day}:${e.revision}` };
        items.push({ ...data, position: Number(e.position) });
      }
      if (events.length === READ_BATCH) {
        revision = Number(events[events.length - 1]!.revision) + 1;
        continue;
      }
      day = new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
      revision = 0;
    }
    return { items, nextCursor: null };
  }
}

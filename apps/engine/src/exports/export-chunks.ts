import { DECISION_MADE, envelopeValues, upcastDecisionMade, type DecisionMade, type PersonalEnvelope, type PersonalField, type PersonalValues } from '@verdict/domain';
import type { EventStore } from '@verdict/event-store';
import type { DecisionPositionRange } from '@verdict/read-models';
import type { SealRef } from '../audit/seal-index.port';
import type { DecisionListFilter } from '../decisions/decision-queries.port';
import type { ExportFormat } from './export-params';
import { CSV_HEADER, csvRow, exportedDecision, jsonlRow, matchesFilter, passesRevealed, pseudonymsOf, revealStoredJson, rowDecision, rowFilter, toExportSeal, type RowDecision } from './export-rows';

/** Events read from the store per page: a few MB of parsed events, the most one export holds at a time. */
export const EXPORT_PAGE = 500;
/**
 * Characters per chunk, at most about (rows are not split). Small enough that a chunk is an ordinary young-generation
 * string on either thread, collected by the cheap scavenges rather than piling up in the large-object space until a
 * full collection.
 */
export const EXPORT_CHUNK_CHARS = 64 * 1024;

/** A stretch of the log to read: positions in (after, through]. */
export interface LogSegment {
  readonly after: bigint;
  readonly through: bigint;
}

/**
 * Where to read, from what the read model knows of the matching decisions (one range, or several for one filter
 * whose rows hold its values in two forms): one segment from the first match to the last (read whole, filtered on
 * the thread), then the unprojected tail up to the head. Segments never overlap: a range's checkpoint may be later
 * than another's, and the tail starts after both the earliest checkpoint and the first segment.
 */
export function segmentsFor(ranges: readonly DecisionPositionRange[], head: bigint): LogSegment[] {
  const segments: LogSegment[] = [];
  let projectedThrough: bigint | undefined;
  let first: bigint | null = null;
  let last: bigint | null = null;
  for (const r of ranges) {
    if (projectedThrough === undefined || r.projectedThrough < projectedThrough) projectedThrough = r.projectedThrough;
    if (r.first !== null && (first === null || r.first < first)) first = r.first;
    if (r.last !== null && (last === null || r.last > last)) last = r.last;
  }
  let tailAfter = projectedThrough ?? 0n;
  if (first !== null && last !== null && first <= head) {
    const through = last < head ? last : head;
    segments.push({ after: first - 1n, through });
    if (through > tailAfter) tailAfter = through;
  }
  if (tailAfter < head) segments.push({ after: tailAfter, through: head });
  return segments;
}

/** Seal lookups along a read in position order: `reach(p)` before looking up positions up to p. */
export interface SealLookup {
  reach(position: bigint): Promise<void>;
  covering(position: bigint): SealRef | null;
}

/**
 * What the export needs of the subject vault (SubjectVault): pseudonyms of filter values, and each row's envelope
 * opened (undefined once its key is gone). Each decision is revealed from its own envelope, never the identity
 * directory: a subject that came back after an erasure must not re-identify the decisions made before it.
 */
export interface ExportVault {
  readonly pseudonyms: { field(field: PersonalField, value: string): string };
  openEnvelopes(items: readonly { envelope: PersonalEnvelope; decisionId: string }[]): Promise<(PersonalValues | undefined)[]>;
}

export interface ExportSelection {
  readonly segments: readonly LogSegment[];
  readonly filter: DecisionListFilter;
  readonly format: ExportFormat;
}

/** A page's row that passed the filters, before it is revealed and written. */
interface PendingRow {
  readonly decision: RowDecision;
  readonly position: bigint;
  /** The event's stored text. */
  readonly text: string;
  /** The stored text is exactly what the row shows (see jsonlRow): no upcasting, no pseudonym, no envelope. */
  readonly asStored: boolean;
  /** Its request holds pseudonyms (v4): revealed before it is written or filtered on its card or customer. */
  readonly protected: boolean;
  /** JSONL of an upcast event (before v4): the whole event, written out again. */
  readonly upcast?: DecisionMade;
}

const NO_VALUES: ReadonlyMap<string, string> = new Map();

/**
 * The export's text in chunks of about EXPORT_CHUNK_CHARS (the CSV header first): every DecisionMade in the segments,
 * in position order, filtered again here, personal values shown in the clear or as ERASED (exportedDecision). Each
 * page's envelopes are opened in one vault call (one read for their keys). Pulled one chunk at a time, so memory stays at about one page.
 * Throws the store's or the vault's error, or a RangeError for an event this build cannot read.
 */
export async function* exportChunks(store: EventStore, selection: ExportSelection, seals: SealLookup, vault: ExportVault): AsyncGenerator<string> {
  const jsonl = selection.format === 'jsonl';
  const filter = rowFilter(selection.filter, (field, value) => vault.pseudonyms.field(field, value));
  const personalFilter = filter.list.cardId !== undefined || filter.list.customerId !== undefined;
  if (selection.format === 'csv') yield CSV_HEADER;
  for (const segment of selection.segments) {
    let after = segment.after;
    while (after < segment.through) {
      const page = await store.readAllText({ after, maxCount: EXPORT_PAGE, filter: { eventTypePrefixes: [DECISION_MADE] } });
      let end = page.length;
      while (end > 0 && page[end - 1].position > segment.through) end--;
      if (end === 0) break;
      await seals.reach(page[end - 1].position);
      const rows: PendingRow[] = [];
      for (let i = 0; i < end; i++) {
        const stored = JSON.parse(page[i].dataJson) as { schemaVersion?: unknown; personal?: unknown };
        const event = upcastDecisionMade(stored);
        if (!matchesFilter(event, filter)) continue;
        const held = pseudonymsOf(stored.schemaVersion, event);
        const asStored = event === stored && held.length === 0 && stored.personal === undefined;
        const upcast = jsonl && !asStored && held.length === 0 ? { upcast: event } : {};
        rows.push({ decision: rowDecision(event), position: page[i].position, text: page[i].dataJson, asStored, protected: held.length > 0, ...upcast });
      }
      const sealed = rows.filter((r) => r.protected && r.decision.personal);
      const opened = sealed.length > 0 ? await vault.openEnvelopes(sealed.map((r) => ({ envelope: r.decision.personal as PersonalEnvelope, decisionId: r.decision.decisionId }))) : [];
      const values = new Map(sealed.map((r, k) => [r, opened[k]]));
      let chunk = '';
      for (const row of rows) {
        const clear = row.protected ? envelopeValues(row.decision.request, values.get(row)) : undefined;
        const shown = row.asStored ? row.decision : exportedDecision(row.decision, clear);
        if (personalFilter && !passesRevealed(shown, filter)) continue;
        const seal = toExportSeal(seals.covering(row.position));
        if (!jsonl) {
          chunk += csvRow(shown, row.position, seal);
        } else {
          // A v4 row: its stored text with the clear values put in (as fast as splicing it as it is), unless that text
          // is not plain enough (revealStoredJson); then it is parsed again and, as an upcast row, written out whole.
          let json = row.asStored ? row.text : row.protected ? revealStoredJson(row.text, row.decision.request, clear ?? NO_VALUES) : undefined;
          json ??= JSON.stringify(exportedDecision(row.upcast ?? upcastDecisionMade(JSON.parse(row.text)), clear));
          chunk += jsonlRow(row.position, seal, json);
        }
        if (chunk.length >= EXPORT_CHUNK_CHARS) {
          yield chunk;
          chunk = '';
        }
      }
      if (chunk) yield chunk;
      if (end < page.length || page.length < EXPORT_PAGE) break;
      after = page[end - 1].position;
    }
  }
}

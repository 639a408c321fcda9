import { DECISION_MADE, envelopeValues, openPersonalOrNothing, upcastDecisionMade, type PersonalEnvelope, type PersonalField, type PersonalValues } from '@verdict/domain';
import type { DecisionMade } from '@verdict/domain';
import type { EventStore, RecordedEventText } from '@verdict/event-store';
import type { DecisionPositionRange } from '@verdict/read-models';
import type { SealRef } from '../audit/seal-index.port';
import type { DecisionListFilter } from '../decisions/decision-queries.port';
import type { ExportFormat } from './export-params';
import { CSV_HEADER, csvRow, exportedDecision, jsonlRow, matchesFilter, passesRevealed, pseudonymsOf, revealStoredJson, rowFilter, toExportSeal, type RowFilter } from './export-rows';

/** Events read from the store per page, at most. */
export const EXPORT_PAGE = 500;
/**
 * The most text a page holds (the store's readAllText maxChars): a page and its parsed events are the most one export
 * holds at a time, and an event can be ~60 K characters (a request's 50 attributes of 1,024), so 500 of those would be
 * 30 M. A page is cut before the event that would take it past this, and holds at least one.
 */
export const EXPORT_PAGE_CHARS = 2 * 1024 * 1024;

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
 * What the export needs of the subject vault (SubjectVault): pseudonyms of filter values, and subject keys by id, to
 * open each row's envelope with. Each decision is revealed from its own envelope, never the identity directory: a
 * subject that came back after an erasure must not re-identify the decisions made before it.
 */
export interface ExportVault {
  readonly pseudonyms: { field(field: PersonalField, value: string): string };
  /** The keys of these ids, in one read; an id missing from the answer has no key any more (erased). */
  fetchKeys(keyIds: readonly string[]): Promise<ReadonlyMap<string, Buffer>>;
}

export interface ExportSelection {
  readonly segments: readonly LogSegment[];
  readonly filter: DecisionListFilter;
  readonly format: ExportFormat;
}

/**
 * The export's text in chunks of about EXPORT_CHUNK_CHARS (the CSV header first): every DecisionMade in the segments,
 * in position order, filtered again here, personal values shown in the clear or as ERASED (exportedDecision). The keys
 * of a page's envelopes are fetched in one read before its rows are parsed (their key ids found in the text), so that
 * each row is then parsed, opened and written in one go and its parsed event dies young. Pulled one chunk at a time,
 * so memory stays at about one page. Throws the store's or the vault's error, or a RangeError for an event this build
 * cannot read.
 */
export async function* exportChunks(store: EventStore, selection: ExportSelection, seals: SealLookup, vault: ExportVault): AsyncGenerator<string> {
  const jsonl = selection.format === 'jsonl';
  const filter = rowFilter(selection.filter, (field, value) => vault.pseudonyms.field(field, value));
  const personalFilter = filter.list.cardId !== undefined || filter.list.customerId !== undefined;
  const needles = filterNeedles(filter);
  if (selection.format === 'csv') yield CSV_HEADER;
  for (const segment of selection.segments) {
    let after = segment.after;
    while (after < segment.through) {
      const page = await store.readAllText({ after, maxCount: EXPORT_PAGE, maxChars: EXPORT_PAGE_CHARS, filter: { eventTypePrefixes: [DECISION_MADE] } });
      let end = page.length;
      while (end > 0 && page[end - 1].position > segment.through) end--;
      if (end === 0) break;
      await seals.reach(page[end - 1].position);
      const keys = new PageKeys(vault);
      await keys.fetchHinted(page.slice(0, end), needles);
      let chunk = '';
      for (let i = 0; i < end; i++) {
        const row = await exportRow(page[i], filter, personalFilter, jsonl, keys);
        if (row === undefined) continue;
        const seal = toExportSeal(seals.covering(page[i].position));
        chunk += typeof row === 'string' ? jsonlRow(page[i].position, seal, row) : csvRow(row, page[i].position, seal);
        if (chunk.length >= EXPORT_CHUNK_CHARS) {
          yield chunk;
          chunk = '';
        }
      }
      if (chunk) yield chunk;
      // A page cut by EXPORT_PAGE_CHARS is short without being the end: only an empty page or the segment's end is.
      if (end < page.length) break;
      after = page[end - 1].position;
    }
  }
}

/** One event as its row shows it (the JSON for JSONL, the decision for CSV), or undefined when the filters drop it. */
async function exportRow(text: RecordedEventText, filter: RowFilter, personalFilter: boolean, jsonl: boolean, keys: PageKeys): Promise<string | Omit<DecisionMade, 'personal'> | undefined> {
  const stored = JSON.parse(text.dataJson) as { schemaVersion?: unknown; personal?: unknown };
  const event = upcastDecisionMade(stored);
  if (!matchesFilter(event, filter)) return undefined;
  const isProtected = pseudonymsOf(stored.schemaVersion, event).length > 0;
  const asStored = event === stored && !isProtected && stored.personal === undefined;
  const clear = isProtected ? envelopeValues(event.request, event.personal ? await keys.open(event.personal, event.decisionId) : undefined) : undefined;
  // The decision as shown: for CSV and the personal filters (JSONL of a v4 row reveals the text itself).
  const shown = !jsonl || personalFilter ? (asStored ? event : exportedDecision(event, clear)) : undefined;
  if (personalFilter && !passesRevealed(shown!, filter)) return undefined;
  if (!jsonl) return shown;
  if (asStored) return text.dataJson;
  // A v4 row: its stored text with the clear values put in (as fast as splicing it as it is), unless that text is not
  // plain enough (revealStoredJson); then, as an upcast row, the event written out whole.
  return (isProtected ? revealStoredJson(text.dataJson, event.request, clear ?? NO_VALUES) : undefined) ?? JSON.stringify(exportedDecision(event, clear));
}

/** An envelope's key id, as the stored text names it: a hint only (a row whose id it misses is fetched on its own). */
const KEY_ID = /"keyId":\s*"([^"\\]+)"/g;

/** The subject keys of one page: fetched in one read from the ids its texts name, and any other on its own. */
class PageKeys {
  private readonly asked = new Set<string>();
  private readonly keys = new Map<string, Buffer>();

  constructor(private readonly vault: ExportVault) {}

  /** The keys named by the texts that may pass the filter (filterNeedles: a filtered export reads past other rows). */
  async fetchHinted(texts: readonly RecordedEventText[], needles: readonly (readonly string[])[]): Promise<void> {
    const ids: string[] = [];
    for (const { dataJson } of texts) {
      if (!needles.every((forms) => forms.some((form) => dataJson.includes(form)))) continue;
      for (const m of dataJson.matchAll(KEY_ID)) ids.push(m[1]);
    }
    await this.fetch(ids);
  }

  /** The envelope opened; undefined when its key is gone or it does not authenticate (bound to another decision, or altered). */
  async open(envelope: PersonalEnvelope, decisionId: string): Promise<PersonalValues | undefined> {
    if (!this.asked.has(envelope.keyId)) await this.fetch([envelope.keyId]);
    return openPersonalOrNothing(envelope, this.keys.get(envelope.keyId), decisionId);
  }

  private async fetch(ids: readonly string[]): Promise<void> {
    const wanted = [...new Set(ids)].filter((id) => !this.asked.has(id));
    if (wanted.length === 0) return;
    for (const id of wanted) this.asked.add(id);
    for (const [id, key] of await this.vault.fetchKeys(wanted)) this.keys.set(id, key);
  }
}

const NO_VALUES: ReadonlyMap<string, string> = new Map();

/**
 * For each string filter, the JSON strings of which a matching event's text holds at least one (a card or customer
 * filter: its clear value or its pseudonym): a superset of the matches, to skip the keys of rows that cannot pass.
 */
function filterNeedles(filter: RowFilter): string[][] {
  const f = filter.list;
  const needles = [filter.inLog.cardId, filter.inLog.customerId].filter((forms) => forms !== undefined).map((forms) => forms.map((v) => JSON.stringify(v)));
  for (const value of [f.merchantId, f.outcome, f.model, f.modelVersion, f.arm]) if (typeof value === 'string') needles.push([JSON.stringify(value)]);
  return needles;
}

import { DECISION_MADE, upcastDecisionMade, type DecisionMade } from '@verdict/domain';
import type { EventStore } from '@verdict/event-store';
import type { SealRef } from '../audit/seal-index.port';
import type { DecisionListFilter } from '../decisions/decision-queries.port';
import type { ExportFormat } from './export-params';
import { CSV_HEADER, csvRow, jsonlRow, matchesFilter, toExportSeal, type ExportSeal } from './export-rows';

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

/** Seal lookups along a read in position order: `reach(p)` before looking up positions up to p. */
export interface SealLookup {
  reach(position: bigint): Promise<void>;
  covering(position: bigint): SealRef | null;
}

export interface ExportSelection {
  readonly segments: readonly LogSegment[];
  readonly filter: DecisionListFilter;
  readonly format: ExportFormat;
}

/** A row from the upcast event; `storedJson` is the stored text of that same object, when no upcasting changed it. */
type RowFormat = (event: DecisionMade, position: bigint, seal: ExportSeal, storedJson?: string) => string;

/**
 * The export's text in chunks of about EXPORT_CHUNK_CHARS (the CSV header first): every DecisionMade in the segments,
 * in position order, filtered again here. Pulled one chunk at a time, so memory stays at about one page. Throws the
 * store's error, or a RangeError for an event this build cannot read.
 */
export async function* exportChunks(store: EventStore, selection: ExportSelection, seals: SealLookup): AsyncGenerator<string> {
  const format: RowFormat = selection.format === 'csv' ? csvRow : jsonlRow;
  if (selection.format === 'csv') yield CSV_HEADER;
  for (const segment of selection.segments) {
    let after = segment.after;
    while (after < segment.through) {
      const page = await store.readAllText({ after, maxCount: EXPORT_PAGE, filter: { eventTypePrefixes: [DECISION_MADE] } });
      let end = page.length;
      while (end > 0 && page[end - 1].position > segment.through) end--;
      if (end === 0) break;
      await seals.reach(page[end - 1].position);
      let chunk = '';
      for (let i = 0; i < end; i++) {
        const stored: unknown = JSON.parse(page[i].dataJson);
        const event = upcastDecisionMade(stored);
        if (!matchesFilter(event, selection.filter)) continue;
        chunk += format(event, page[i].position, toExportSeal(seals.covering(page[i].position)), event === stored ? page[i].dataJson : undefined);
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

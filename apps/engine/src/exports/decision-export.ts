import { Inject, Injectable, Optional } from '@nestjs/common';
import { Readable } from 'node:stream';
import { DECISION_MADE, upcastDecisionMade, type DecisionMade } from '@verdict/domain';
import type { EventStore } from '@verdict/event-store';
import { SEAL_INDEX, type SealIndex } from '../audit/seal-index.port';
import type { DecisionListFilter } from '../decisions/decision-queries.port';
import type { DecisionRangesPort } from '../decisions/decision-ranges.port';
import { DECISION_RANGES, EVENT_STORE } from '../infrastructure/tokens';
import type { ExportRequest } from './export-params';
import { CSV_HEADER, csvRow, jsonlRow, matchesFilter, toExportSeal, type ExportSeal } from './export-rows';
import { SealCursor } from './seal-reference';

/** Events read from the store per page: about 1–2 MB of rows, the most one export holds at a time. */
export const EXPORT_PAGE = 500;
/** Bytes buffered ahead of the client before reading pauses (backpressure). */
const HIGH_WATER_MARK = 256 * 1024;

/** A stretch of the log to read: positions in (after, through]. */
export interface LogSegment {
  readonly after: bigint;
  readonly through: bigint;
}

export interface OpenedExport {
  readonly stream: Readable;
  /** Matching decisions the read model holds: a lower bound (it may lag), for progress only. */
  readonly expectedCount: number;
}

/**
 * Decisions from the event store, in position order, as CSV or JSONL. The read model only narrows where to read:
 * its checkpoint splits the log into a projected part, where it knows the first and last matching position, and an
 * unprojected tail read whole. Every row is an event from the store, filtered again here. The export is the log as
 * it stood when it began (up to the head read then).
 */
@Injectable()
export class DecisionExporter {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DECISION_RANGES) private readonly ranges: DecisionRangesPort,
    @Optional() @Inject(SEAL_INDEX) private readonly seals: SealIndex | null = null,
  ) {}

  async open(request: ExportRequest): Promise<OpenedExport> {
    const head = await this.store.headPosition();
    const range = await this.ranges.positionRange(request.filter);
    const segments: LogSegment[] = [];
    if (range.first !== null && range.last !== null && range.first <= head) {
      segments.push({ after: range.first - 1n, through: range.last < head ? range.last : head });
    }
    if (range.projectedThrough < head) segments.push({ after: range.projectedThrough, through: head });
    const format = request.format === 'csv' ? csvRow : jsonlRow;
    const stream = new DecisionExportStream(this.store, segments, request.filter, format, request.format === 'csv' ? CSV_HEADER : '', new SealCursor(this.seals));
    return { stream, expectedCount: range.count };
  }
}

type RowFormat = (event: DecisionMade, position: bigint, seal: ExportSeal) => string;

/**
 * Pulls one page from the store each time the consumer wants more, so memory stays at about one page whatever the
 * export's size. A store error (or an event this build cannot read) destroys the stream: Fastify then cuts the
 * response off, and the client sees a truncated transfer instead of a clean end.
 */
class DecisionExportStream extends Readable {
  private segment = 0;
  private after: bigint;
  private pumping = false;

  constructor(
    private readonly store: EventStore,
    private readonly segments: readonly LogSegment[],
    private readonly decisionFilter: DecisionListFilter,
    private readonly format: RowFormat,
    private readonly header: string,
    private readonly seals: SealCursor,
  ) {
    super({ highWaterMark: HIGH_WATER_MARK });
    this.after = segments[0]?.after ?? 0n;
    if (header) this.push(header);
  }

  override _read(): void {
    if (this.pumping) return;
    this.pumping = true;
    this.pump().then(
      () => (this.pumping = false),
      (error: unknown) => this.destroy(error instanceof Error ? error : new Error(String(error))),
    );
  }

  /** Reads pages until the consumer's buffer is full or the last segment is done. */
  private async pump(): Promise<void> {
    for (;;) {
      if (this.destroyed) return;
      const segment = this.segments[this.segment];
      if (!segment) {
        this.push(null);
        return;
      }
      const page = await this.store.readAll({ after: this.after, maxCount: EXPORT_PAGE, filter: { eventTypePrefixes: [DECISION_MADE] } });
      let end = page.length;
      while (end > 0 && page[end - 1].position > segment.through) end--;
      let chunk = '';
      if (end > 0) {
        await this.seals.reach(page[end - 1].position);
        for (let i = 0; i < end; i++) {
          const event = upcastDecisionMade(page[i].data);
          if (matchesFilter(event, this.decisionFilter)) chunk += this.format(event, page[i].position, toExportSeal(this.seals.covering(page[i].position)));
        }
        this.after = page[end - 1].position;
      }
      if (end < page.length || page.length < EXPORT_PAGE || this.after >= segment.through) {
        this.segment++;
        this.after = this.segments[this.segment]?.after ?? this.after;
      }
      if (chunk && !this.push(chunk)) return;
    }
  }
}

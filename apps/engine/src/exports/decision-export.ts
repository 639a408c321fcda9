import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import type { VerdictConfig } from '@verdict/config';
import type { EventStore } from '@verdict/event-store';
import { DecisionRangeQueries, type DecisionListFilter } from '@verdict/read-models';
import { SEAL_INDEX, type SealIndex } from '../audit/seal-index.port';
import type { DecisionRangesPort } from '../decisions/decision-ranges.port';
import { DECISION_RANGES, EVENT_STORE, READ_MODEL_DATA_SOURCE, VERDICT_CONFIG } from '../infrastructure/tokens';
import { PersonalData } from '../privacy/personal-data';
import { segmentsFor } from './export-chunks';
import type { ExportRequest } from './export-params';
import { exportOnThread } from './export-thread';

export interface OpenedExport {
  readonly stream: Readable;
  /** Matching decisions the read model holds: a lower bound (it may lag), for progress only. */
  readonly expectedCount: number;
}

/**
 * Decisions from the event store, in position order, as CSV or JSONL. The read model only narrows where to read:
 * its checkpoint splits the log into a projected part, where it knows the first and last matching position, and an
 * unprojected tail that is read whole. Every row is an event from the store, filtered again on its own thread
 * (export-thread.ts), personal values revealed there. The export is the log as it stood when it began (up to the head
 * read then).
 *
 * `cardId` and `customerId` come in the clear; the read model holds pseudonyms for DecisionMade v4 (DECISION_RANGES
 * asks for those) and the clear values of older decisions, so a filter on them asks the read model for both forms.
 */
@Injectable()
export class DecisionExporter {
  private clearRanges: DecisionRangeQueries | undefined;

  constructor(
    @Inject(VERDICT_CONFIG) private readonly config: VerdictConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DECISION_RANGES) private readonly ranges: DecisionRangesPort,
    @Optional() @Inject(SEAL_INDEX) private readonly seals: SealIndex | null = null,
    @Optional() @Inject(READ_MODEL_DATA_SOURCE) private readonly readModel: DataSource | null = null,
    @Optional() private readonly personal: PersonalData | null = null,
  ) {}

  async open(request: ExportRequest): Promise<OpenedExport> {
    const head = await this.store.headPosition();
    const ranges = [await this.ranges.positionRange(request.filter)];
    const clear = this.clearValueRanges(request.filter);
    if (clear) ranges.push(await clear.positionRange(request.filter));
    const segments = segmentsFor(ranges, head);
    const stream = exportOnThread(this.config.eventStore, this.config.privacy, { segments, filter: request.filter, format: request.format }, this.seals);
    return { stream, expectedCount: ranges.reduce((n, r) => n + r.count, 0) };
  }

  /**
   * The read model's ranges for the filter's clear values, when DECISION_RANGES asks for others (pseudonyms): the
   * decisions from before DecisionMade v4 hold their card and customer ids in the clear.
   */
  private clearValueRanges(filter: DecisionListFilter): DecisionRangeQueries | undefined {
    if (!this.readModel || !this.personal) return undefined;
    const inLog = this.personal.listFilter(filter);
    if (inLog.cardId === filter.cardId && inLog.customerId === filter.customerId) return undefined;
    return (this.clearRanges ??= new DecisionRangeQueries(this.readModel));
  }
}

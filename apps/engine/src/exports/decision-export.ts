import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Readable } from 'node:stream';
import type { VerdictConfig } from '@verdict/config';
import type { EventStore } from '@verdict/event-store';
import { SEAL_INDEX, type SealIndex } from '../audit/seal-index.port';
import type { DecisionRangesPort } from '../decisions/decision-ranges.port';
import { DECISION_RANGES, EVENT_STORE, VERDICT_CONFIG } from '../infrastructure/tokens';
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
 * `cardId` and `customerId` come in the clear; DECISION_RANGES asks the read model for both forms it may hold
 * (the pseudonym, and the clear value of decisions stored before v4).
 */
@Injectable()
export class DecisionExporter {
  constructor(
    @Inject(VERDICT_CONFIG) private readonly config: VerdictConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DECISION_RANGES) private readonly ranges: DecisionRangesPort,
    @Optional() @Inject(SEAL_INDEX) private readonly seals: SealIndex | null = null,
  ) {}

  async open(request: ExportRequest): Promise<OpenedExport> {
    const head = await this.store.headPosition();
    const ranges = [await this.ranges.positionRange(request.filter)];
    const segments = segmentsFor(ranges, head);
    const stream = exportOnThread(this.config, { segments, filter: request.filter, format: request.format }, this.seals);
    return { stream, expectedCount: ranges.reduce((n, r) => n + r.count, 0) };
  }

}

import { Command } from '@nestjs/cqrs';
import type { DecisionRequest } from '@verdict/domain';
import type { DecisionOutcome } from './decision-recorder';

/** Valid requests of a batch command, decided together: one outcome per request, in order. */
export class DecideBatchCommand extends Command<DecisionOutcome[]> {
  constructor(
    readonly requests: readonly DecisionRequest[],
    readonly correlationId: string,
    /** performance.now() when the batch arrived, for the recorded timings. */
    readonly startedAt: number,
  ) {
    super();
  }
}

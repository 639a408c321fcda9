import { Command } from '@nestjs/cqrs';
import type { DecisionMade, DecisionRequest } from '@verdict/domain';

export interface MakeDecisionResult {
  /** false when this is a retry answered with the original decision. */
  readonly created: boolean;
  readonly event: DecisionMade;
  readonly position: bigint;
  readonly appendMs: number;
  /** The correlation id the decision was recorded under (a retry: the original request's). */
  readonly correlationId?: string;
}

export class MakeDecisionCommand extends Command<MakeDecisionResult> {
  constructor(
    readonly request: DecisionRequest,
    readonly correlationId: string,
    /** performance.now() when the request arrived, for the recorded timings. */
    readonly startedAt: number,
  ) {
    super();
  }
}

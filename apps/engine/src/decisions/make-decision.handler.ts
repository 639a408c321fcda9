import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DecisionCoalescer } from './decision-coalescer';
import { DecisionRecorder } from './decision-recorder';
import { MakeDecisionCommand, type MakeDecisionResult } from './make-decision.command';

/**
 * Decide (together with the single requests that arrived in the same turn: DecisionCoalescer), then durably append with "stream must not exist"; answer only after the append resolved (DecisionRecorder).
 * A retry of a decided transaction is answered with the stored decision if the request is the same, else a conflict.
 */
@CommandHandler(MakeDecisionCommand)
export class MakeDecisionHandler implements ICommandHandler<MakeDecisionCommand, MakeDecisionResult> {
  constructor(
    private readonly recorder: DecisionRecorder,
    private readonly coalescer: DecisionCoalescer,
  ) {}

  async execute(command: MakeDecisionCommand): Promise<MakeDecisionResult> {
    const { request, correlationId, startedAt } = command;
    const outcome = await this.coalescer.decide(this.recorder.item(request, correlationId, startedAt));
    if (outcome instanceof Error) throw outcome;
    return outcome as MakeDecisionResult;
  }
}

import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DecideBatchCommand } from './decide-batch.command';
import { DecisionRecorder, type DecisionOutcome } from './decision-recorder';

/** A batch is one scoring run per model and one group-committed append, answered once that append is durable. */
@CommandHandler(DecideBatchCommand)
export class DecideBatchHandler implements ICommandHandler<DecideBatchCommand, DecisionOutcome[]> {
  constructor(private readonly recorder: DecisionRecorder) {}

  execute({ requests, correlationId, startedAt }: DecideBatchCommand): Promise<DecisionOutcome[]> {
    return this.recorder.record(requests.map((request) => this.recorder.item(request, correlationId, startedAt)));
  }
}

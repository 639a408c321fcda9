import { Controller, Get, Param } from '@nestjs/common';
import { SAFE_ID } from '@verdict/domain';
import { ProblemException } from '../http/problem.exception';
import { DecisionContextReader, type DecisionContext } from './decision-context';
import { Roles } from '../access/route-roles';
import { RecordsAccess } from '../access/access-recording.interceptor';

/** An auditor's one-stop read of a decision (docs/audit.md). */
@Controller()
export class DecisionContextController {
  constructor(private readonly reader: DecisionContextReader) {}

  @Roles('analyze', 'audit')
  @RecordsAccess()
  @Get('v1/decisions/:decisionId/context')
  async context(@Param('decisionId') decisionId: string): Promise<DecisionContext> {
    const context = SAFE_ID.test(decisionId) ? await this.reader.read(decisionId) : null;
    if (!context) throw new ProblemException('decision-not-found', `No decision "${decisionId}" has been recorded.`);
    return context;
  }
}

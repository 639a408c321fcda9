import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { toDecisionResponse, validateDecisionRequest } from '@verdict/domain';
import { ProblemException } from '../http/problem.exception';
import type { DecisionAuditRecord } from './decision-audit-record';
import type { DecisionPage } from './decision-page';
import { GetDecisionQuery } from './get-decision.query';
import { GetTransactionDecisionQuery } from './get-transaction-decision.query';
import { ListDecisionsQuery } from './list-decisions.query';
import { parseListParams } from './list-decisions.params';
import { MakeDecisionCommand } from './make-decision.command';
import { RecentDecisions } from './recent-decisions';

const CORRELATION_HEADER = 'x-correlation-id';
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

@Controller()
export class DecisionsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly recent: RecentDecisions,
  ) {}

  /** 201 with a new decision, or 200 + `Idempotent-Replayed: true` with the original one on a retry. */
  @Post('v1/decisions')
  async decide(@Body() body: unknown, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const startedAt = performance.now();
    const valid = validateDecisionRequest(body);
    if (!valid.ok) {
      throw new ProblemException('validation-failed', `The decision request has ${valid.errors.length} invalid field(s).`, { errors: valid.errors });
    }
    const header = req.headers[CORRELATION_HEADER];
    const correlationId = typeof header === 'string' && SAFE_ID.test(header) ? header : randomUUID();
    const result = await this.commands.execute(new MakeDecisionCommand(valid.value, correlationId, startedAt));
    const response = toDecisionResponse(result.event, result.position);
    // Before the answer leaves: its Location must be readable from then on, read model or not.
    this.recent.remember(response.decisionId, response.transactionId);
    void reply
      .status(result.created ? 201 : 200)
      .header('location', `/v1/decisions/${response.decisionId}`)
      .header(CORRELATION_HEADER, correlationId)
      .header('idempotent-replayed', result.created ? 'false' : 'true')
      .header('server-timing', `decide;dur=${result.event.timings.totalMs}, append;dur=${result.appendMs.toFixed(3)}`)
      .send(response);
  }

  @Get('v1/decisions/:decisionId')
  async get(@Param('decisionId') decisionId: string): Promise<DecisionAuditRecord> {
    const record = SAFE_ID.test(decisionId) ? await this.queries.execute(new GetDecisionQuery(decisionId)) : null;
    if (!record) throw new ProblemException('decision-not-found', `No decision "${decisionId}" has been recorded.`);
    return record;
  }

  @Get('v1/decisions')
  list(@Query() query: Record<string, unknown>): Promise<DecisionPage> {
    return this.queries.execute(new ListDecisionsQuery(parseListParams(query)));
  }

  /** The decision for a transaction, read from the event store itself (no read-model lag). */
  @Get('v1/transactions/:transactionId/decision')
  async byTransaction(@Param('transactionId') transactionId: string): Promise<DecisionAuditRecord> {
    const record = SAFE_ID.test(transactionId) ? await this.queries.execute(new GetTransactionDecisionQuery(transactionId)) : null;
    if (!record) throw new ProblemException('decision-not-found', `No decision has been recorded for transaction "${transactionId}".`);
    return record;
  }
}

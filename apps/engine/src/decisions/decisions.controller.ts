import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { performance } from 'node:perf_hooks';
import { decisionBatchSchema, toDecisionResponse, validateDecisionRequest, validateObject, decisionRequestSchema, DECISION_REQUEST_MAX_BYTES, SAFE_ID, type DecisionRequest } from '@verdict/domain';
import type { Logger } from 'pino';
import { LOGGER } from '../infrastructure/tokens';
import { validBody } from '../http/validate-body';
import { DecideBatchCommand } from './decide-batch.command';
import { isOversizedItem } from './batch-item-size';
import { decidedItem, invalidItem, oversizedItem, type BatchItemResult } from './decision-batch-results';
import { ProblemException } from '../http/problem.exception';
import { unstorableItemText } from '../http/unstorable-text';
import type { DecisionAuditRecord } from './decision-audit-record';
import type { DecisionPage } from './decision-page';
import { GetDecisionQuery } from './get-decision.query';
import { GetTransactionDecisionQuery } from './get-transaction-decision.query';
import { ListDecisionsQuery } from './list-decisions.query';
import { parseListParams } from './list-decisions.params';
import { MakeDecisionCommand } from './make-decision.command';
import { RecentDecisions } from './recent-decisions';
import { Roles } from '../access/route-roles';
import { RecordsAccess } from '../access/access-recording.interceptor';
import { CORRELATION_HEADER, callerCorrelationId, recordedCorrelationId } from '../http/correlation-id';

/**
 * This answer's stages in ms: `server`, from when Fastify routed the request until the answer, so that a client can tell
 * time in the engine from time its request waited to be read (`npm run bench -- --rate` names both); for a new
 * decision also `decide` (from the handler's start to the model's answer) and `append` (the durable commit). A replay's
 * stages were the original's, so it has only `server`. Fastify times a reply only for routes with an onResponse hook
 * (or a logger): the request timeout's hook (access/request-timeout.ts) is what makes `elapsedTime` non-zero here.
 */
function serverTiming(result: { created: boolean; event: { timings: { totalMs: number } }; appendMs: number }, elapsedMs: number): string {
  const server = `server;dur=${elapsedMs.toFixed(3)}`;
  return result.created ? `decide;dur=${result.event.timings.totalMs}, append;dur=${result.appendMs.toFixed(3)}, ${server}` : server;
}

@Controller()
export class DecisionsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly recent: RecentDecisions,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** 201 with a new decision, or 200 + `Idempotent-Replayed: true` with the original one on a retry. */
  @Roles('decide')
  @Post('v1/decisions')
  async decide(@Body() body: unknown, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const startedAt = performance.now();
    const valid = validateDecisionRequest(body);
    if (!valid.ok) {
      throw new ProblemException('validation-failed', `The decision request has ${valid.errors.length} invalid field(s).`, { errors: valid.errors });
    }
    const callerId = callerCorrelationId(req);
    const correlationId = recordedCorrelationId(req, callerId);
    const result = await this.commands.execute(new MakeDecisionCommand(valid.value, correlationId, startedAt));
    const response = toDecisionResponse(result.event, result.position);
    // Before the answer leaves: its Location must be readable from then on, read model or not.
    this.recent.remember(response.decisionId, response.transactionId);
    // A replay records nothing new: the caller's own id comes back, or else the one the decision was recorded under.
    const answeredId = result.created ? correlationId : (callerId ?? result.correlationId);
    if (answeredId !== undefined) void reply.header(CORRELATION_HEADER, answeredId);
    void reply
      .status(result.created ? 201 : 200)
      .header('location', `/v1/decisions/${response.decisionId}`)
      .header('idempotent-replayed', result.created ? 'false' : 'true')
      .header('server-timing', serverTiming(result, reply.elapsedTime))
      .send(response);
  }

  /**
   * Up to 1000 decision requests, each with exactly a single command's semantics; 200 with one result per item, in
   * order, once every new decision among them is durable. An invalid item writes nothing and stops no other.
   */
  @Roles('decide')
  @Post('v1/decisions/batch')
  @HttpCode(200)
  async decideBatch(@Body() body: unknown, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const startedAt = performance.now();
    const { items } = validBody(decisionBatchSchema, body);
    const callerId = callerCorrelationId(req);
    const correlationId = recordedCorrelationId(req, callerId);
    const results = new Array<BatchItemResult>(items.length);
    const valid: DecisionRequest[] = [];
    const slots: number[] = [];
    items.forEach((item, index) => {
      const unstorable = unstorableItemText(body, item, `/items/${index}`);
      const checked = unstorable ? { ok: false as const, errors: [unstorable] } : validateObject(decisionRequestSchema, item, `/items/${index}`);
      if (!checked.ok) results[index] = invalidItem(index, checked.errors);
      else if (isOversizedItem(checked.value)) results[index] = oversizedItem(index, DECISION_REQUEST_MAX_BYTES);
      else {
        valid.push(checked.value);
        slots.push(index);
      }
    });
    const outcomes = valid.length > 0 ? await this.commands.execute(new DecideBatchCommand(valid, correlationId, startedAt)) : [];
    let recorded = false;
    outcomes.forEach((outcome, k) => {
      const index = slots[k] as number;
      const { result, internal } = decidedItem(index, outcome);
      if (internal) this.logger.error({ err: internal, index, correlationId }, 'batch item failed');
      if ('decision' in result) this.recent.remember(result.decision.decisionId, result.decision.transactionId);
      if (result.status === 201) recorded = true;
      results[index] = result;
    });
    // Made up only if some item was recorded under it; else only the caller's own id comes back.
    const answeredId = recorded ? correlationId : callerId;
    if (answeredId !== undefined) void reply.header(CORRELATION_HEADER, answeredId);
    void reply.status(200).send({ results });
  }

  @Roles('analyze', 'audit')
  @RecordsAccess()
  @Get('v1/decisions/:decisionId')
  async get(@Param('decisionId') decisionId: string): Promise<DecisionAuditRecord> {
    const record = SAFE_ID.test(decisionId) ? await this.queries.execute(new GetDecisionQuery(decisionId)) : null;
    if (!record) throw new ProblemException('decision-not-found', `No decision "${decisionId}" has been recorded.`);
    return record;
  }

  @Roles('analyze', 'audit')
  @RecordsAccess()
  @Get('v1/decisions')
  list(@Query() query: Record<string, unknown>): Promise<DecisionPage> {
    return this.queries.execute(new ListDecisionsQuery(parseListParams(query)));
  }

  /** The decision for a transaction, read from the event store itself (no read-model lag). */
  @Roles('analyze', 'audit')
  @RecordsAccess()
  @Get('v1/transactions/:transactionId/decision')
  async byTransaction(@Param('transactionId') transactionId: string): Promise<DecisionAuditRecord> {
    const record = SAFE_ID.test(transactionId) ? await this.queries.execute(new GetTransactionDecisionQuery(transactionId)) : null;
    if (!record) throw new ProblemException('decision-not-found', `No decision has been recorded for transaction "${transactionId}".`);
    return record;
  }
}

import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { labelBatchSchema, labelRequestSchema, SAFE_ID } from '@verdict/domain';
import { actorOf } from '../http/actor';
import { ProblemException } from '../http/problem.exception';
import { unstorableItemText } from '../http/unstorable-text';
import { validBody } from '../http/validate-body';
import { LabelBatch } from './label-batch';
import { LabelContentionError, LabelRecorder } from './label-recorder';
import { Roles } from '../access/route-roles';
import { RecordsAccess } from '../access/access-recording.interceptor';

/** What became known about transactions: one label, a batch of them, and a transaction's labels. */
@Controller()
export class LabelsController {
  constructor(
    private readonly recorder: LabelRecorder,
    private readonly batch: LabelBatch,
  ) {}

  /** 201 for a new label, 200 for the same labelId and content again (nothing new is recorded). */
  @Roles('analyze')
  @Post('v1/transactions/:transactionId/labels')
  async label(@Param('transactionId') transactionId: string, @Body() body: unknown, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (!SAFE_ID.test(transactionId)) throw new ProblemException('transaction-not-found', `No decision has been recorded for transaction "${transactionId}".`);
    const request = validBody(labelRequestSchema, body);
    let result;
    try {
      [result] = await this.recorder.record(transactionId, [request], actorOf(req));
    } catch (error) {
      if (error instanceof LabelContentionError) throw new ProblemException('stream-contention', error.message);
      throw error;
    }
    if (result.status === 404) throw new ProblemException('transaction-not-found', `No decision has been recorded for transaction "${transactionId}".`);
    if (result.status === 409) {
      throw new ProblemException('label-conflict', `Label "${request.labelId}" of transaction "${transactionId}" is already recorded with other content.`, { recorded: result.label });
    }
    void reply.status(result.status).header('location', `/v1/transactions/${encodeURIComponent(transactionId)}/labels`).send(result.label);
  }

  /** Labels per item, in order; 200 for the batch as a whole once its envelope is valid. */
  @Roles('analyze')
  @Post('v1/labels/batch')
  @HttpCode(200)
  async labelBatch(@Body() body: unknown, @Req() req: FastifyRequest): Promise<unknown> {
    const { labels } = validBody(labelBatchSchema, body);
    const results = await this.batch.record(labels, actorOf(req), (item, prefix) => unstorableItemText(body, item, prefix));
    const counts = { created: 0, repeated: 0, rejected: 0 };
    for (const r of results) {
      if (r.status === 201) counts.created++;
      else if (r.status === 200) counts.repeated++;
      else counts.rejected++;
    }
    return { ...counts, results };
  }

  /** A transaction's labels in recorded order, read from its stream (no read-model lag). */
  @Roles('analyze', 'audit')
  @RecordsAccess()
  @Get('v1/transactions/:transactionId/labels')
  async labelsOf(@Param('transactionId') transactionId: string): Promise<unknown> {
    const labels = SAFE_ID.test(transactionId) ? await this.recorder.labelsOf(transactionId) : null;
    if (labels === null) throw new ProblemException('transaction-not-found', `No decision has been recorded for transaction "${transactionId}".`);
    return { transactionId, labels };
  }
}

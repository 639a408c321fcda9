import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { reviewClaimSchema, reviewResolutionSchema, type ReviewRefusal } from '@verdict/domain';
import type { ReviewPage, ReviewQueueQueries } from '@verdict/read-models';
import { toDecisionListItem } from '../decisions/decision-page';
import { actorOf } from '../http/actor';
import { ProblemException } from '../http/problem.exception';
import { validBody } from '../http/validate-body';
import { REVIEW_QUEUE } from '../infrastructure/tokens';
import { ReviewContentionError, ReviewDesk, type ReviewAnswer } from './review-desk';
import { parseReviewParams } from './review-list.params';
import { Roles } from '../access/route-roles';
import { RecordsAccess } from '../access/access-recording.interceptor';

const DECISION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The review queue: list it, claim a decision, resolve it. The reviewer is the caller's actor (X-Verdict-Actor). */
@Controller('v1/reviews')
export class ReviewsController {
  constructor(
    private readonly desk: ReviewDesk,
    @Inject(REVIEW_QUEUE) private readonly queue: Pick<ReviewQueueQueries, 'list'>,
  ) {}

  @Roles('analyze')
  @RecordsAccess()
  @Get()
  async list(@Query() query: Record<string, unknown>): Promise<unknown> {
    const page: ReviewPage = await this.queue.list(parseReviewParams(query, new Date()));
    return { items: page.items.map((item) => ({ ...item, decision: toDecisionListItem(item.decision) })), nextCursor: page.nextCursor };
  }

  /** 200 with the claim (a new one, or the holder's renewed one). */
  @Roles('analyze')
  @Post(':decisionId/claim')
  @HttpCode(200)
  async claim(@Param('decisionId') decisionId: string, @Body() body: unknown, @Req() req: FastifyRequest): Promise<unknown> {
    const { ttlSeconds } = validBody(reviewClaimSchema, body ?? {});
    return answered(decisionId, await guarded(decisionId, () => this.desk.claim(decisionId, actorOf(req), ttlSeconds)));
  }

  /** 200 with the resolution and the label it recorded (source review). */
  @Roles('analyze')
  @Post(':decisionId/resolution')
  @HttpCode(200)
  async resolve(@Param('decisionId') decisionId: string, @Body() body: unknown, @Req() req: FastifyRequest): Promise<unknown> {
    const { resolution, note } = validBody(reviewResolutionSchema, body);
    return answered(decisionId, await guarded(decisionId, () => this.desk.resolve(decisionId, actorOf(req), resolution, note)));
  }
}

async function guarded<T>(decisionId: string, work: () => Promise<ReviewAnswer<T>>): Promise<ReviewAnswer<T>> {
  if (!DECISION_ID.test(decisionId)) return { ok: false, refusal: { refused: 'not-found' } };
  try {
    return await work();
  } catch (error) {
    if (error instanceof ReviewContentionError) throw new ProblemException('stream-contention', error.message);
    throw error;
  }
}

function answered<T>(decisionId: string, answer: ReviewAnswer<T>): T {
  if (answer.ok) return answer.value;
  const r: ReviewRefusal | { refused: 'not-found' } = answer.refusal;
  switch (r.refused) {
    case 'not-found':
      throw new ProblemException('review-not-found', `No decision ${decisionId} has been recorded.`);
    case 'not-for-review':
      throw new ProblemException('review-not-found', `Decision ${decisionId} was not sent to review (its outcome is not review).`);
    case 'claimed-by-other':
      throw new ProblemException('review-claimed', `Decision ${decisionId} is claimed by ${r.reviewer} until ${r.expiresAt}.`, { reviewer: r.reviewer, expiresAt: r.expiresAt });
    case 'resolved':
      throw new ProblemException('review-resolved', `Decision ${decisionId} was resolved ${r.resolved.resolution} by ${r.resolved.reviewer} at ${r.resolved.resolvedAt}.`, { resolution: r.resolved });
    case 'label-taken':
      throw new ProblemException('review-label-taken', `The label id ${r.recorded.labelId} this resolution would record is held by another label, recorded by ${r.recorded.recordedBy}. Nothing was recorded.`, { recorded: r.recorded });
  }
}

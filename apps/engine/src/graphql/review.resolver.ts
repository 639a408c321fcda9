import { Inject } from '@nestjs/common';
import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { z } from 'zod';
import { InvalidCursorError, REVIEW_ORDERS, REVIEW_STATUSES, reviewCursorOf, type ReviewItem, type ReviewQueueQueries } from '@verdict/read-models';
import { decisionFilterParams } from '../decisions/list-decisions.params';
import { ProblemException } from '../http/problem.exception';
import { REVIEW_QUEUE } from '../infrastructure/tokens';
import { fromSummary } from './decision-node';
import { validArgs } from './graphql-args';
import { pageComplexity } from './query-limits';
import { Review, ReviewConnection, ReviewFilter, type ReviewStatus } from './review.types';
import { Roles } from '../access/route-roles';
import { GuardedByRoles } from '../access/graphql-roles.guard';
import { RecordsAccess } from '../access/access-recording.interceptor';

const MAX_PAGE = 500;
const { outcome: _outcome, from: _from, to: _to, ...filters } = decisionFilterParams;
const listArgs = z.object({
  filter: z
    .object({ ...filters, status: z.enum(REVIEW_STATUSES).default('open'), order: z.enum(REVIEW_ORDERS).default('score'), from: z.date().optional(), to: z.date().optional() })
    .strict()
    .refine((f) => f.modelVersion === undefined || f.model !== undefined, { path: ['modelVersion'], message: "needs model: a version is one of a model's versions" })
    .default({ status: 'open', order: 'score' }),
  first: z.number().int().min(1).max(MAX_PAGE),
  after: z.string().min(1).max(200).optional(),
});

const toReview = (item: ReviewItem): Review => ({
  decision: fromSummary(item.decision),
  status: item.status as ReviewStatus,
  claim: item.claim && { reviewer: item.claim.reviewer, claimedAt: new Date(item.claim.claimedAt), expiresAt: new Date(item.claim.expiresAt) },
  resolution: item.resolution && { ...item.resolution, resolvedAt: new Date(item.resolution.resolvedAt) },
});

/** reviews(filter, first, after): the review queue, as GET /v1/reviews lists it. */
@Roles('analyze')
@GuardedByRoles()
@RecordsAccess()
@Resolver(() => Review)
export class ReviewResolver {
  constructor(@Inject(REVIEW_QUEUE) private readonly queue: Pick<ReviewQueueQueries, 'list'>) {}

  @Query(() => ReviewConnection, {
    description: 'Decisions sent to review: open (an expired claim is open again), claimed or resolved; by score or age',
    complexity: pageComplexity(MAX_PAGE),
  })
  async reviews(
    @Args('filter', { type: () => ReviewFilter, nullable: true }) filter: ReviewFilter | null,
    @Args('first', { type: () => Int, defaultValue: 50, description: `1–${MAX_PAGE}` }) first: number,
    @Args('after', { type: () => String, nullable: true, description: "A previous page's endCursor" }) after: string | null,
  ): Promise<ReviewConnection> {
    const args = validArgs(listArgs, { filter, first, after });
    let page;
    try {
      page = await this.queue.list({ ...args.filter, limit: args.first, ...(args.after ? { cursor: args.after } : {}), now: new Date() });
    } catch (error) {
      if (error instanceof InvalidCursorError) throw new ProblemException('invalid-query', error.message, { errors: [{ path: '/after', message: 'is not a cursor this API returned' }] });
      throw error;
    }
    const edges = page.items.map((item) => ({ cursor: reviewCursorOf(item), node: toReview(item) }));
    return {
      edges,
      pageInfo: { hasNextPage: page.nextCursor !== null, hasPreviousPage: false, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
    };
  }
}

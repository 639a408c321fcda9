import { z } from 'zod';
import { toFieldErrors } from '@verdict/domain';
import { REVIEW_ORDERS, REVIEW_STATUSES, type ReviewListQuery } from '@verdict/read-models';
import { decisionFilterParams } from '../decisions/list-decisions.params';
import { ProblemException } from '../http/problem.exception';

const { outcome: _outcome, ...filters } = decisionFilterParams;

const reviewParams = z
  .object({
    ...filters,
    status: z.enum(REVIEW_STATUSES).default('open'),
    order: z.enum(REVIEW_ORDERS).default('score'),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().min(1).max(200).optional(),
  })
  .strict()
  .refine((q) => q.modelVersion === undefined || q.model !== undefined, { path: ['modelVersion'], message: "needs model: a version is one of a model's versions" });

/** Query-string parameters of GET /v1/reviews (the decision list's filters but outcome, which is always review). */
export function parseReviewParams(query: unknown, now: Date): ReviewListQuery {
  const parsed = reviewParams.safeParse(query ?? {});
  if (!parsed.success) {
    throw new ProblemException('invalid-query', 'One or more query parameters are invalid.', { errors: toFieldErrors(parsed.error, query ?? {}) });
  }
  return { ...parsed.data, now };
}

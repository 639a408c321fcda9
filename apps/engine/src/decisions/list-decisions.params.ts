import { z } from 'zod';
import { instantParamSchema, toFieldErrors } from '@verdict/domain';
import { ProblemException } from '../http/problem.exception';
import type { DecisionListFilter } from './decision-queries.port';

const isoDate = instantParamSchema.transform((s) => new Date(s));

/** The filters of a decision list (and of an export): everything but paging. */
export const decisionFilterParams = {
  cardId: z.string().min(1).max(128).optional(),
  customerId: z.string().min(1).max(128).optional(),
  merchantId: z.string().min(1).max(128).optional(),
  outcome: z.enum(['approve', 'review', 'decline']).optional(),
  model: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/).optional(),
  modelVersion: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/).optional(),
  arm: z.enum(['champion', 'challenger']).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
};

const listParams = z
  .object({
    ...decisionFilterParams,
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().min(1).max(200).optional(),
  })
  .strict();

/** Query-string parameters of GET /v1/decisions; unknown ones are an error, not silently ignored. */
export function parseListParams(query: unknown): DecisionListFilter {
  const parsed = listParams.safeParse(query ?? {});
  if (!parsed.success) {
    throw new ProblemException('invalid-query', 'One or more query parameters are invalid.', { errors: toFieldErrors(parsed.error, query ?? {}) });
  }
  return parsed.data;
}

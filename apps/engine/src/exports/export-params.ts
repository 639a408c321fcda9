import { z } from 'zod';
import { toFieldErrors } from '@verdict/domain';
import { decisionFilterParams } from '../decisions/list-decisions.params';
import type { DecisionListFilter } from '../decisions/decision-queries.port';
import { ProblemException } from '../http/problem.exception';

export type ExportFormat = 'jsonl' | 'csv';

export interface ExportRequest {
  readonly format: ExportFormat;
  /** The decision list's filters; `from` inclusive, `to` exclusive, on decidedAt. */
  readonly filter: DecisionListFilter;
}

const exportParams = z
  .object({ ...decisionFilterParams, format: z.enum(['jsonl', 'csv']).default('jsonl') })
  .strict()
  .refine((p) => p.modelVersion === undefined || p.model !== undefined, { path: ['modelVersion'], message: "needs model: a version is one of a model's versions" })
  .refine((p) => p.from === undefined || p.to === undefined || p.from < p.to, { path: ['to'], message: 'must be after from' });

/** Query-string parameters of GET /v1/exports/decisions; a bad or unknown one is a 400 naming it. */
export function parseExportParams(query: unknown): ExportRequest {
  const parsed = exportParams.safeParse(query ?? {});
  if (!parsed.success) {
    throw new ProblemException('invalid-query', 'One or more query parameters are invalid.', { errors: toFieldErrors(parsed.error, query ?? {}) });
  }
  const { format, ...filter } = parsed.data;
  return { format, filter };
}

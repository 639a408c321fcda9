import { z } from 'zod';
import { instantParamSchema, toFieldErrors } from '@verdict/domain';
import { ProblemException } from '../http/problem.exception';

const instant = instantParamSchema.transform((s) => new Date(s));

/** The default window: the 30 days before `to`. */
const DEFAULT_DAYS = 30;
const MAX_DAYS = 366;

const params = z
  .object({
    from: instant.optional(),
    to: instant.optional(),
    arm: z.enum(['champion', 'challenger']).optional(),
    asOf: instant.optional(),
    unlabelled: z.enum(['legitimate', 'excluded']).default('legitimate'),
  })
  .strict();

export interface PerformanceParams {
  readonly from: Date;
  readonly to: Date;
  readonly arm?: 'champion' | 'challenger';
  readonly asOf: Date;
  readonly unlabelled: 'legitimate' | 'excluded';
}

/** Query of GET /v1/models/{name}/versions/{version}/performance; `now` fills the defaults. */
export function parsePerformanceParams(query: unknown, now: Date): PerformanceParams {
  const parsed = params.safeParse(query ?? {});
  if (!parsed.success) throw new ProblemException('invalid-query', 'One or more query parameters are invalid.', { errors: toFieldErrors(parsed.error, query ?? {}) });
  const to = parsed.data.to ?? now;
  const from = parsed.data.from ?? new Date(to.getTime() - DEFAULT_DAYS * 86_400_000);
  if (from >= to) throw new ProblemException('invalid-query', '`to` must be after `from`.', { errors: [{ path: '/to', message: 'must be after from' }] });
  if (to.getTime() - from.getTime() > MAX_DAYS * 86_400_000) {
    throw new ProblemException('invalid-query', `The window is at most ${MAX_DAYS} days.`, { errors: [{ path: '/from', message: `must be at most ${MAX_DAYS} days before to` }] });
  }
  return { from, to, asOf: parsed.data.asOf ?? now, unlabelled: parsed.data.unlabelled, ...(parsed.data.arm ? { arm: parsed.data.arm } : {}) };
}

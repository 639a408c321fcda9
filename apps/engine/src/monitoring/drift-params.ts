import { z } from 'zod';
import { instantParamSchema, toFieldErrors } from '@verdict/domain';
import { ProblemException } from '../http/problem.exception';

/** Most windows one answer covers. */
export const MAX_DRIFT_WINDOWS = 1000;
/** Windows shown when the range is not given: the last day of hourly windows, by default. */
export const DEFAULT_DRIFT_WINDOWS = 24;

export interface DriftRequest {
  readonly model: string;
  readonly version?: string;
  readonly fromMs: number;
  readonly toMs: number;
  readonly windowSeconds: number;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
const modelId = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1–64 characters of A-Z, a-z, 0-9, ".", "_" or "-"');
const instant = instantParamSchema.transform((s) => Date.parse(s));
const duration = z
  .string()
  .regex(/^[1-9][0-9]{0,6}[smhd]?$/, 'must be a whole number of seconds, or of minutes, hours or days with a unit: 3600, 90m, 6h, 1d')
  .transform((s) => Number(s.replace(/[smhd]$/, '')) * (UNIT_SECONDS[s.at(-1) as string] ?? 1));

const params = z.object({ model: modelId, version: modelId.optional(), from: instant.optional(), to: instant.optional(), window: duration.optional() }).strict();

/**
 * Query parameters of GET /v1/monitoring/drift. `window` must be a multiple of the projection's window; `from` and
 * `to` are widened to whole windows; a bad or unknown parameter is a 400 naming it.
 */
export function parseDriftParams(query: unknown, baseWindowSeconds: number, nowMs: number): DriftRequest {
  const input = query ?? {};
  const parsed = params.safeParse(input);
  const invalid = (errors: { path: string; message: string }[]) =>
    new ProblemException('invalid-query', 'One or more query parameters are invalid.', { errors });
  if (!parsed.success) throw invalid(toFieldErrors(parsed.error, input));
  const { model, version, from, to, window = baseWindowSeconds } = parsed.data;
  if (window % baseWindowSeconds !== 0 || window > 31 * 86400) {
    throw invalid([{ path: '/window', message: `must be a multiple of the drift window (${baseWindowSeconds} s), at most 31 days` }]);
  }
  const width = window * 1000;
  const toMs = Math.ceil((to ?? nowMs + 1) / width) * width;
  const fromMs = Math.floor((from ?? toMs - DEFAULT_DRIFT_WINDOWS * width) / width) * width;
  if (fromMs >= toMs) throw invalid([{ path: '/to', message: 'must be after from' }]);
  if ((toMs - fromMs) / width > MAX_DRIFT_WINDOWS) {
    throw invalid([{ path: '/from', message: `the range spans more than ${MAX_DRIFT_WINDOWS} windows of ${window} s; narrow it or widen the window` }]);
  }
  return { model, ...(version === undefined ? {} : { version }), fromMs, toMs, windowSeconds: window };
}

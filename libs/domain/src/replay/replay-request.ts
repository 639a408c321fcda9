import { z } from 'zod';
import { instantParamSchema } from '../date-time';

export const REPLAY_MODES = ['recorded', 'recompute-features'] as const;
export type ReplayMode = (typeof REPLAY_MODES)[number];

const instant = instantParamSchema.transform((s) => new Date(s).toISOString());
const MAX_POSITION = 2n ** 63n - 1n;
/** Positions are 64-bit: a decimal string, or a safe integer. */
const position = z
  .union([z.string().regex(/^\d{1,19}$/, 'must be a non-negative integer'), z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)])
  // Zod runs this even when the string failed its pattern (that issue is reported already): BigInt only a decimal.
  .refine((p) => typeof p === 'number' || !/^\d{1,19}$/.test(p) || BigInt(p) <= MAX_POSITION, 'must not exceed 2^63 - 1')
  .transform((p) => BigInt(p));

/**
 * The body of `POST /v1/replays`: decidedAt in [from, to) as in the decision list, positions in [fromPosition,
 * toPosition]. Without a bound, the replay covers the whole log.
 */
export const replayRequestSchema = z
  .object({
    from: instant.optional(),
    to: instant.optional(),
    fromPosition: position.optional(),
    toPosition: position.optional(),
    filter: z
      .object({
        modelSha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a lower-case hex sha256').optional(),
        outcome: z.enum(['approve', 'review', 'decline']).optional(),
        cardId: z.string().min(1).max(128).optional(),
      })
      .strict()
      .optional(),
    mode: z.enum(REPLAY_MODES).default('recorded'),
  })
  .strict()
  .refine((r) => r.from === undefined || r.to === undefined || r.from <= r.to, { message: 'must not be after "to"', path: ['from'] })
  .refine((r) => r.fromPosition === undefined || r.toPosition === undefined || r.fromPosition <= r.toPosition, {
    message: 'must not exceed "toPosition"',
    path: ['fromPosition'],
  });

export type ReplayRequest = z.output<typeof replayRequestSchema>;

/** What a replay selects, in the JSON form its events record (positions as decimal strings). */
export interface ReplaySelection {
  readonly from?: string;
  readonly to?: string;
  readonly fromPosition?: string;
  readonly toPosition?: string;
  readonly filter?: { readonly modelSha256?: string; readonly outcome?: string; readonly cardId?: string };
  readonly mode: ReplayMode;
}

export function replaySelection(request: ReplayRequest): ReplaySelection {
  return {
    ...(request.from === undefined ? {} : { from: request.from }),
    ...(request.to === undefined ? {} : { to: request.to }),
    ...(request.fromPosition === undefined ? {} : { fromPosition: request.fromPosition.toString() }),
    ...(request.toPosition === undefined ? {} : { toPosition: request.toPosition.toString() }),
    ...(request.filter === undefined ? {} : { filter: request.filter }),
    mode: request.mode,
  };
}

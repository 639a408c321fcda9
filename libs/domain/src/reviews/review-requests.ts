import { z } from 'zod';
import { LABEL_VALUES } from '../labels/transaction-labelled.event';

/** The body of POST /v1/reviews/{decisionId}/resolution. */
export const reviewResolutionSchema = z
  .object({
    resolution: z.enum(LABEL_VALUES),
    note: z.string().max(2000).optional(),
  })
  .strict();
export type ReviewResolutionRequest = z.infer<typeof reviewResolutionSchema>;

/** The body of POST /v1/reviews/{decisionId}/claim (optional): how long to hold it, within the configured maximum. */
export const reviewClaimSchema = z
  .object({ ttlSeconds: z.number().int().min(1).max(24 * 3600).optional() })
  .strict();
export type ReviewClaimRequest = z.infer<typeof reviewClaimSchema>;

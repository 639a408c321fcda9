import { z } from 'zod';
import { PSEUDONYM_PREFIX } from './privacy/personal-fields';
import { pastDateTimeSchema } from './date-time';
import { safeIdSchema } from './safe-id';

/** The body of POST /v1/decisions. Unknown top-level fields are rejected (`strict`). */
export const DECISION_REQUEST_MAX_BYTES = 64 * 1024;

const id128 = z.string().min(1).max(128);
/**
 * A value that may be personal: never in the pseudonyms' form, which reads and the access log take for one already
 * pseudonymised (it would then be shown as erased, or kept in the clear).
 */
const personal = (schema: z.ZodString) =>
  schema.refine((s) => !s.startsWith(PSEUDONYM_PREFIX), `must not start with "${PSEUDONYM_PREFIX}", the prefix of Verdict's pseudonyms`);
const personalId = personal(id128);

export const CHANNELS = ['pos', 'ecom', 'atm', 'moto'] as const;
export type Channel = (typeof CHANNELS)[number];

export const decisionRequestSchema = z
  .object({
    transactionId: safeIdSchema,
    // Not ahead of the engine's clock: one transaction dated in the future would push every later one out of its
    // card's and terminal's history windows.
    occurredAt: pastDateTimeSchema,
    amount: z.number().finite().min(0).max(1e9),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be 3 upper-case letters (ISO 4217)'),
    cardId: personalId,
    merchantId: id128,
    customerId: personalId.optional(),
    deviceId: personalId.optional(),
    ip: personal(z.string().min(1).max(64)).optional(),
    merchantCategory: z.string().regex(/^\d{4}$/, 'must be 4 digits (MCC)').optional(),
    channel: z.enum(CHANNELS).optional(),
    country: z.string().regex(/^[A-Z]{2}$/, 'must be 2 upper-case letters (ISO 3166-1 alpha-2)').optional(),
    attributes: z
      .record(z.string().max(128), z.union([z.string().max(1024), z.number().finite(), z.boolean()]))
      .refine((o) => Object.keys(o).length <= 50, 'must have at most 50 keys')
      .optional(),
  })
  .strict();

export type DecisionRequest = z.infer<typeof decisionRequestSchema>;

/** Requests per batch command, and the batch body's limit. */
export const DECISION_BATCH_MAX = 1000;
export const DECISION_BATCH_MAX_BYTES = 8 * 1024 * 1024;

/** The batch envelope (POST /v1/decisions/batch); each item is validated on its own, so a bad one fails only itself. */
export const decisionBatchSchema = z
  .object({ items: z.array(z.unknown()).min(1).max(DECISION_BATCH_MAX) })
  .strict();

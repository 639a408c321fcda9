import { z } from 'zod';
import { pastDateTimeSchema } from '../date-time';
import { REVIEW_LABEL_ID_PREFIX } from '../reviews/review-events';
import { safeIdSchema } from '../safe-id';
import { LABEL_SOURCES, LABEL_VALUES } from './transaction-labelled.event';

/** Labels per batch request, and the batch body's limit (a chargeback file's worth). */
export const LABEL_BATCH_MAX = 10_000;
export const LABEL_BATCH_MAX_BYTES = 8 * 1024 * 1024;

/** A labelId a client may choose: not one of the review queue's (review-events.ts), whose event ids it would take. */
const clientLabelIdSchema = safeIdSchema.regex(new RegExp(`^(?!${REVIEW_LABEL_ID_PREFIX})`), `must not start with "${REVIEW_LABEL_ID_PREFIX}": those label ids are the review queue's`);

/** The body of POST /v1/transactions/{transactionId}/labels. */
export const labelRequestSchema = z
  .object({
    labelId: clientLabelIdSchema,
    label: z.enum(LABEL_VALUES),
    source: z.enum(LABEL_SOURCES),
    reportedAt: pastDateTimeSchema,
    amount: z.number().finite().min(0).max(1e9).optional(),
    note: z.string().max(2000).optional(),
  })
  .strict();

export type LabelRequest = z.infer<typeof labelRequestSchema>;

/** One label of POST /v1/labels/batch: a label request plus the transaction it is about. */
export const batchLabelSchema = labelRequestSchema.extend({ transactionId: safeIdSchema }).strict();
export type BatchLabel = z.infer<typeof batchLabelSchema>;

/** The batch envelope; each label is validated on its own, so one bad row fails only itself. */
export const labelBatchSchema = z
  .object({ labels: z.array(z.unknown()).min(1).max(LABEL_BATCH_MAX) })
  .strict();


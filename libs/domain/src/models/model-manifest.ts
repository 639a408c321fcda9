import { z } from 'zod';
import type { FeatureColumnSpec } from '../features/feature-columns';
import type { PolicySnapshot } from '../decision-made.event';
import { trainingStatisticsSchema, type TrainingStatistics } from '../monitoring/training-statistics';

/** A JSON value (for free-form figures such as a model card's metrics). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number().finite(), z.string(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

const featureColumn = z.union([
  z.string().min(1).max(200),
  z.object({ name: z.string().min(1).max(200), default: z.number().finite().optional() }).strict(),
]);

const unit = z.number().finite().min(0).max(1);

export const policyVersionSchema = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,64}$/, 'must be 1–64 characters of A-Z, a-z, 0-9, ".", "_", ":" or "-"');

export const policySchema = z
  .object({
    version: policyVersionSchema,
    reviewThreshold: unit,
    declineThreshold: unit,
  })
  .strict()
  .refine((p) => p.reviewThreshold <= p.declineThreshold, {
    message: 'reviewThreshold must not exceed declineThreshold',
    path: ['reviewThreshold'],
  });

/**
 * What a model version needs beside its bytes to decide, and what an auditor wants to know about it. Uploaded with
 * the model (all optional); what the model's own metadata (`verdict.*` keys) provides fills the gaps at registration.
 */
export const modelManifestSchema = z
  .object({
    /** Input columns in order. Without them the version serves raw inference only and cannot be deployed. */
    features: z.array(featureColumn).min(1).max(2000).optional(),
    scoreOutput: z.object({ name: z.string().min(1).max(200), column: z.number().int().min(0).max(100_000) }).strict().optional(),
    /** Per-column reference values for explanations (baseline substitution); zeros when absent. */
    baseline: z.array(z.number().finite()).max(2000).optional(),
    /** The policy recommended with this model; deployments use it unless they give their own. */
    policy: policySchema.optional(),
    description: z.string().max(10_000).optional(),
    /** The model card's figures, free JSON. */
    metrics: jsonValue.optional(),
    /** Data lineage. */
    trainingData: z
      .object({ uri: z.string().min(1).max(2000), sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits') })
      .strict()
      .optional(),
    /** Per-feature and score distributions on the training data: the baseline drift is measured against (docs/monitoring.md). */
    trainingStatistics: trainingStatisticsSchema.optional(),
  })
  .strict();

export type ModelManifest = {
  readonly features?: readonly FeatureColumnSpec[];
  readonly scoreOutput?: { readonly name: string; readonly column: number };
  readonly baseline?: readonly number[];
  readonly policy?: PolicySnapshot;
  readonly description?: string;
  readonly metrics?: JsonValue;
  readonly trainingData?: { readonly uri: string; readonly sha256: string };
  readonly trainingStatistics?: TrainingStatistics;
};

import { z } from 'zod';

/**
 * Per-feature training statistics of a model version, carried in its manifest (`trainingStatistics`): the
 * reference distribution drift is measured against. Versioned: `schemaVersion` 1 is the only shape so far; a
 * manifest without statistics is valid, and its version gets a first-window baseline instead.
 */
export const TRAINING_STATISTICS_SCHEMA_VERSION = 1 as const;

/** Name of the score's series wherever drift figures are listed beside the features' ("score" is no feature). */
export const SCORE_SERIES = 'score';

const SHARE_SUM_TOLERANCE = 1e-6;

const edges = z.array(z.number().finite()).max(1000);
const shares = z.array(z.number().finite().min(0).max(1)).min(1).max(1001);

/** The checks every binned distribution passes, with the paths of the fields they concern. */
function checkedBins<T extends z.ZodType<{ edges: number[]; proportions: number[] }>>(schema: T) {
  return schema
    .refine((d) => d.edges.every((e, i) => i === 0 || e > (d.edges[i - 1] as number)), { message: 'must be strictly increasing', path: ['edges'] })
    .refine((d) => d.proportions.length === d.edges.length + 1, { message: 'must have one share per bin (edges + 1)', path: ['proportions'] })
    .refine((d) => Math.abs(d.proportions.reduce((a, b) => a + b, 0) - 1) <= SHARE_SUM_TOLERANCE, { message: 'must sum to 1', path: ['proportions'] });
}

/** edges: strictly increasing; bin b holds edges[b-1] < x <= edges[b], the last bin x > the last edge. proportions: one share per bin. */
const binnedDistribution = checkedBins(z.object({ edges, proportions: shares }).strict());
const featureDistribution = checkedBins(z.object({ name: z.string().min(1).max(200), edges, proportions: shares }).strict());

export const trainingStatisticsSchema = z
  .object({
    schemaVersion: z.literal(TRAINING_STATISTICS_SCHEMA_VERSION),
    /** Rows the statistics were computed from. */
    rows: z.number().int().min(1),
    /** One entry per input column, in the manifest's feature order. */
    features: z.array(featureDistribution).min(1).max(2000),
    /** The model's score on the same rows. */
    score: binnedDistribution,
  })
  .strict();

export interface BinnedDistribution {
  readonly edges: readonly number[];
  readonly proportions: readonly number[];
}

export interface TrainingStatistics {
  readonly schemaVersion: typeof TRAINING_STATISTICS_SCHEMA_VERSION;
  readonly rows: number;
  readonly features: readonly (BinnedDistribution & { readonly name: string })[];
  readonly score: BinnedDistribution;
}

/** What keeps statistics from describing a model with these input columns (empty when they fit). */
export function trainingStatisticsProblems(statistics: TrainingStatistics, featureNames: readonly string[] | undefined): string[] {
  if (featureNames === undefined) return ['manifest trainingStatistics need features: a version without them does not decide, so nothing is monitored'];
  const named = statistics.features.map((f) => f.name);
  if (named.length === featureNames.length && named.every((n, i) => n === featureNames[i])) return [];
  return [`manifest trainingStatistics cover ${named.join(', ')}; they must cover the features in order: ${featureNames.join(', ')}`];
}

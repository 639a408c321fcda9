import { z } from 'zod';
import { psi } from '../monitoring/drift-statistics';
import { bucketThreshold } from './routing';
import { isTrafficPercent } from './traffic-percent';

/**
 * Automatic canary analysis, after Flagger's: every `intervalSeconds` the arms are judged on the decisions of that
 * window; `threshold` failed checks roll the challenger back; passing checks step its traffic up by `stepPercent`
 * to `maxPercent`, then promote it when `autoPromote` is set. The metrics are the model's own signals.
 */
export const canaryAnalysisSchema = z
  .object({
    intervalSeconds: z.number().int().min(1).max(86_400),
    threshold: z.number().int().min(1).max(1000),
    stepPercent: z.number().gt(0).refine(isTrafficPercent, 'must be at most 100, with at most two decimals'),
    maxPercent: z.number().gt(0).refine(isTrafficPercent, 'must be at most 100, with at most two decimals'),
    autoPromote: z.boolean(),
    metrics: z
      .object({
        /** Challenger runs that failed ÷ requests routed to it; without it, the limit is DEFAULT_MAX_ERROR_RATE. */
        maxErrorRate: z.number().min(0).max(1).optional(),
        /** p99 of the challenger's decide latency (ms). */
        maxP99Ms: z.number().gt(0).optional(),
        /** Challenger's decline rate minus the champion's. */
        maxDeclineRateDelta: z.number().min(-1).max(1).optional(),
        /** PSI of the challenger's scores against the champion's over the window. */
        maxScorePsi: z.number().min(0).optional(),
        /** Decisions each arm needs in a window before it is judged. */
        minDecisions: z.number().int().min(1).max(1_000_000).default(20),
      })
      .strict(),
  })
  .strict()
  .refine((a) => a.stepPercent <= a.maxPercent, { message: 'stepPercent must not exceed maxPercent', path: ['stepPercent'] });

export type CanaryAnalysisSpec = z.output<typeof canaryAnalysisSchema>;

/**
 * The error-rate limit when the analysis sets none: a challenger that fails is never promoted by default, so any
 * failed run fails its window. An operator who tolerates some failures says how many with maxErrorRate.
 */
export const DEFAULT_MAX_ERROR_RATE = 0;

/** One arm's decisions in one window. */
export interface ArmSample {
  /** Decisions made (for the shadow arm: requests it scored). */
  readonly decisions: number;
  /** Runs of this arm that failed (the champion then decided instead, or the shadow recorded the error). */
  readonly errors: number;
  readonly declines: number;
  readonly latenciesMs: readonly number[];
  readonly scores: readonly number[];
}

export interface ArmFigures {
  readonly decisions: number;
  readonly errors: number;
  readonly errorRate: number;
  readonly p99Ms: number | null;
  readonly declineRate: number | null;
}

export interface CheckResult {
  /** The window judged: [from, to). */
  readonly from: string;
  readonly to: string;
  /**
   * false when an arm had fewer than minDecisions decisions (and the challenger's failed runs alone did not fail the
   * window): neither a pass nor a failure.
   */
  readonly judged: boolean;
  readonly passed: boolean;
  readonly champion: ArmFigures;
  readonly challenger: ArmFigures;
  readonly declineRateDelta: number | null;
  readonly scorePsi: number | null;
  /** Each limit exceeded, e.g. "declineRateDelta 0.94 > 0.1". */
  readonly failures: readonly string[];
}

/** The observed figures behind an automatic step, promotion or rollback. */
export interface AnalysisEvidence {
  readonly checks: readonly CheckResult[];
  readonly failedChecks: number;
  readonly passedChecks: number;
  readonly threshold: number;
}

const round = (x: number, digits = 6): number => Number(x.toFixed(digits));

export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

/**
 * Population stability index of `actual` against `expected`, over equal-width bins of [0, 1] (scores are
 * probabilities); the formula (with its floor for empty bins) is monitoring's `psi`.
 */
export function populationStabilityIndex(expected: readonly number[], actual: readonly number[], bins = 10): number | null {
  if (expected.length === 0 || actual.length === 0) return null;
  const shares = (xs: readonly number[]): number[] => {
    const counts = new Array<number>(bins).fill(0);
    for (const x of xs) counts[Math.min(bins - 1, Math.max(0, Math.floor(x * bins)))]++;
    return counts.map((c) => c / xs.length);
  };
  return round(psi(shares(expected), shares(actual)));
}

function figures(s: ArmSample): ArmFigures {
  const attempts = s.decisions + s.errors;
  return {
    decisions: s.decisions,
    errors: s.errors,
    errorRate: attempts === 0 ? 0 : round(s.errors / attempts),
    p99Ms: percentile(s.latenciesMs, 0.99),
    declineRate: s.decisions === 0 ? null : round(s.declines / s.decisions),
  };
}

/**
 * Judges one window: pure, so any instance (or a restarted one) reaches the same verdict from the same decisions.
 * Failed runs are judged on their own: with minDecisions runs of the challenger (decisions and failures), an error
 * rate over the limit fails the window however few it decided. Everything else needs minDecisions decisions on each
 * arm, and then every check counts: one whose figure cannot be computed fails the window rather than being skipped,
 * so a window passes only on evidence.
 */
export function judgeWindow(spec: CanaryAnalysisSpec, window: { from: string; to: string }, champion: ArmSample, challenger: ArmSample): CheckResult {
  const c = figures(champion);
  const x = figures(challenger);
  const declineRateDelta = c.declineRate === null || x.declineRate === null ? null : round(x.declineRate - c.declineRate);
  const scorePsi = populationStabilityIndex(champion.scores, challenger.scores);
  const base = { ...window, champion: c, challenger: x, declineRateDelta, scorePsi };
  const m = spec.metrics;
  const maxErrorRate = m.maxErrorRate ?? DEFAULT_MAX_ERROR_RATE;
  const errorFailure = x.errorRate > maxErrorRate ? [`errorRate ${x.errorRate} > ${maxErrorRate}`] : [];
  if (champion.decisions < m.minDecisions || challenger.decisions < m.minDecisions) {
    const failedOnErrors = errorFailure.length > 0 && challenger.decisions + challenger.errors >= m.minDecisions;
    return { ...base, judged: failedOnErrors, passed: false, failures: failedOnErrors ? errorFailure : [] };
  }
  const failures = [...errorFailure];
  const over = (name: string, value: number | null, limit: number | undefined): void => {
    if (limit === undefined) return;
    if (value === null) failures.push(`${name} cannot be computed`);
    else if (value > limit) failures.push(`${name} ${value} > ${limit}`);
  };
  over('p99Ms', x.p99Ms, m.maxP99Ms);
  over('declineRateDelta', declineRateDelta, m.maxDeclineRateDelta);
  over('scorePsi', scorePsi, m.maxScorePsi);
  return { ...base, judged: true, passed: failures.length === 0, failures };
}

export type AnalysisAction =
  | { readonly kind: 'none' }
  | { readonly kind: 'step'; readonly trafficPercent: number }
  | { readonly kind: 'promote' }
  | { readonly kind: 'rollback' };

/**
 * What the judged checks so far call for. `threshold` failed checks since the challenger was deployed roll it back;
 * after a passing check a canary steps up (to maxPercent) and, once there, is promoted if autoPromote is set. The
 * analysis never takes a canary to 100%: the champion arm would get no decisions, and no later window could be
 * judged. The step that would get there promotes instead (autoPromote) or is not taken. A shadow is promoted (if
 * autoPromote) after as many passing checks as a canary would need.
 */
export function nextAnalysisAction(
  spec: CanaryAnalysisSpec,
  challenger: { readonly mode: 'canary' | 'shadow'; readonly trafficPercent: number },
  checks: readonly CheckResult[],
): AnalysisAction {
  const judged = checks.filter((c) => c.judged);
  if (judged.filter((c) => !c.passed).length >= spec.threshold) return { kind: 'rollback' };
  const last = checks.at(-1);
  if (last === undefined || !last.judged || !last.passed) return { kind: 'none' };
  if (challenger.mode === 'canary') {
    if (challenger.trafficPercent < spec.maxPercent) {
      const trafficPercent = Math.min(spec.maxPercent, round(challenger.trafficPercent + spec.stepPercent, 2));
      if (trafficPercent >= 100) return spec.autoPromote ? { kind: 'promote' } : { kind: 'none' };
      return { kind: 'step', trafficPercent };
    }
    return spec.autoPromote ? { kind: 'promote' } : { kind: 'none' };
  }
  return spec.autoPromote && judged.filter((c) => c.passed).length >= passingChecksToPromote(spec) ? { kind: 'promote' } : { kind: 'none' };
}

/**
 * Passing checks a canary starting at stepPercent needs to be promoted: one for each step up to maxPercent, and one
 * there; to 100% one fewer, since the step that would reach it promotes.
 */
export function passingChecksToPromote(spec: CanaryAnalysisSpec): number {
  // In whole buckets (hundredths of a percent): 1.1 / 0.1 is 11.000000000000002 in floating point.
  const step = bucketThreshold(spec.stepPercent);
  return spec.maxPercent >= 100 ? Math.max(1, Math.ceil(bucketThreshold(100) / step) - 1) : Math.ceil(bucketThreshold(spec.maxPercent) / step);
}

export function analysisEvidence(spec: CanaryAnalysisSpec, checks: readonly CheckResult[]): AnalysisEvidence {
  const judged = checks.filter((c) => c.judged);
  return {
    checks: checks.slice(-20),
    failedChecks: judged.filter((c) => !c.passed).length,
    passedChecks: judged.filter((c) => c.passed).length,
    threshold: spec.threshold,
  };
}

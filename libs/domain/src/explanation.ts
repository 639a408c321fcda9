import type { Reason } from './decision-made.event';

/**
 * Explanations by baseline substitution: row 0 is the real feature vector, row i+1 is the same vector with feature i
 * replaced by its baseline value. One batched model run scores them all; a feature's contribution is how much the
 * real value moved the score away from the baseline. Model-agnostic and exactly replayable.
 */
export function explanationRows(vector: ArrayLike<number>, baseline: readonly number[], out?: Float32Array, offset = 0): Float32Array {
  const f = vector.length;
  const rows = out ?? new Float32Array((f + 1) * f);
  for (let r = 0; r <= f; r++) {
    const off = offset + r * f;
    // The decision path passes a Float32Array (one memcpy per row); a replay, the recorded JSON numbers.
    if (vector instanceof Float32Array) rows.set(vector, off);
    else for (let j = 0; j < f; j++) rows[off + j] = vector[j];
    if (r > 0) rows[off + r - 1] = baseline[r - 1] ?? 0;
  }
  return rows;
}

/**
 * The features that need an explanation row: those whose float32 value differs from the baseline. A feature at its
 * baseline gives a row identical to the request's own, so its score is the request's (rows are independent in the
 * model) and its contribution 0: it need not be run.
 */
export function explainedFeatures(vector: Float32Array, baseline: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < vector.length; i++) if (vector[i] !== Math.fround(baseline[i] ?? 0)) out.push(i);
  return out;
}

/** The request's row, then one row per explained feature with that feature at its baseline, into `out` at `offset`. */
export function compactExplanationRows(
  vector: Float32Array,
  baseline: readonly number[],
  explained: readonly number[],
  out?: Float32Array,
  offset = 0,
): Float32Array {
  const f = vector.length;
  const rows = out ?? new Float32Array((explained.length + 1) * f);
  rows.set(vector, offset);
  explained.forEach((feature, k) => {
    const at = offset + (k + 1) * f;
    rows.set(vector, at);
    rows[at + feature] = baseline[feature] ?? 0;
  });
  return rows;
}

/** The scores explanationRows() would have given (the request's, then one per feature), from a compact run's. */
export function expandExplanationScores(run: Float32Array, features: number, explained: readonly number[]): Float32Array {
  const scores = new Float32Array(features + 1).fill(run[0] as number);
  explained.forEach((feature, k) => (scores[feature + 1] = run[k + 1] as number));
  return scores;
}

/** Round to float32 precision, then to 6 significant decimals for stable JSON. */
const tidy = (x: number): number => Number(Math.fround(x).toPrecision(6));

/**
 * Top contributors, most important first (by absolute contribution; ties by feature order, so output is
 * deterministic). Features whose substitution changes nothing are left out, and so are those whose substituted row
 * the model could not score (NaN or ±Infinity): a number no JSON holds, it would be recorded as null and never replay.
 */
export function topReasons(
  names: readonly string[],
  values: Float32Array,
  scores: Float32Array,
  maxReasons: number,
): Reason[] {
  const base = scores[0];
  const reasons: { i: number; c: number }[] = [];
  for (let i = 0; i < names.length; i++) {
    const c = base - scores[i + 1];
    if (c !== 0 && Number.isFinite(c)) reasons.push({ i, c });
  }
  reasons.sort((a, b) => Math.abs(b.c) - Math.abs(a.c) || a.i - b.i);
  return reasons.slice(0, maxReasons).map(({ i, c }) => ({ contribution: tidy(c), feature: names[i], value: values[i] }));
}

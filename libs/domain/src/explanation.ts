import type { Reason } from './decision-made.event';

/**
 * Explanations by baseline substitution: row 0 is the real feature vector, row i+1 is the same vector with feature i
 * replaced by its baseline value. One batched model run scores them all; a feature's contribution is how much the
 * real value moved the score away from the baseline. Model-agnostic and exactly replayable.
 */
export function explanationRows(vector: Float32Array, baseline: readonly number[]): Float32Array {
  const f = vector.length;
  const rows = new Float32Array((f + 1) * f);
  rows.set(vector, 0);
  for (let i = 0; i < f; i++) {
    const off = (i + 1) * f;
    rows.set(vector, off);
    rows[off + i] = baseline[i] ?? 0;
  }
  return rows;
}

/** Round to float32 precision, then to 6 significant decimals for stable JSON. */
const tidy = (x: number): number => Number(Math.fround(x).toPrecision(6));

/**
 * Top contributors, most important first (by absolute contribution; ties by feature order, so output is
 * deterministic). Features whose substitution changes nothing are left out.
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
    if (c !== 0) reasons.push({ i, c });
  }
  reasons.sort((a, b) => Math.abs(b.c) - Math.abs(a.c) || a.i - b.i);
  return reasons.slice(0, maxReasons).map(({ i, c }) => ({ feature: names[i], value: values[i], contribution: tidy(c) }));
}

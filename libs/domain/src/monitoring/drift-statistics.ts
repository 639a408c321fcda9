/**
 * The two drift figures, both on binned distributions given as shares per bin (same bins on both sides).
 *
 * PSI = Σ_b (a_b − e_b) · ln(a_b / e_b), with every share floored at 1e-4 so one empty bin cannot make it infinite.
 * KS  = max_b |E_b − A_b|, the largest gap between the cumulative shares at the bin edges: the two-sample
 *       Kolmogorov–Smirnov statistic of the binned samples (a lower bound of the statistic of the raw samples).
 */

export const PSI_SHARE_FLOOR = 1e-4;

function sameBins(expected: readonly number[], actual: readonly number[]): void {
  if (expected.length !== actual.length) throw new RangeError(`bins differ: ${expected.length} expected, ${actual.length} actual`);
  if (expected.length === 0) throw new RangeError('no bins');
}

/** Population stability index of `actual` against `expected`. */
export function psi(expected: readonly number[], actual: readonly number[], floor = PSI_SHARE_FLOOR): number {
  sameBins(expected, actual);
  let sum = 0;
  for (let b = 0; b < expected.length; b++) {
    const e = Math.max(expected[b] as number, floor);
    const a = Math.max(actual[b] as number, floor);
    sum += (a - e) * Math.log(a / e);
  }
  return sum;
}

/** Two-sample Kolmogorov–Smirnov statistic of two binned distributions. */
export function ksStatistic(expected: readonly number[], actual: readonly number[]): number {
  sameBins(expected, actual);
  let e = 0;
  let a = 0;
  let max = 0;
  for (let b = 0; b < expected.length; b++) {
    e += expected[b] as number;
    a += actual[b] as number;
    max = Math.max(max, Math.abs(e - a));
  }
  return max;
}

/** Exact percentiles of a sorted sample (nearest rank). */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  // The epsilon keeps 99.9 % of 1,000 at rank 999 (floating point makes it 999.0000000000001).
  const rank = Math.ceil((p * sorted.length) / 100 - 1e-9);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** The arithmetic mean; 0 for no values. */
export const mean = (xs: readonly number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

/** Milliseconds as reported: to 0.01 ms. */
export const roundMs = (n: number): number => Math.round(n * 100) / 100;

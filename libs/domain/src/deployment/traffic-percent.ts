/**
 * A share of traffic: 0 to 100 with at most two decimals (the routing's buckets are hundredths of a percent). Checked
 * in hundredths with a tolerance, since 1.1 × 100 is 110.00000000000001 in floating point.
 */
export function isTrafficPercent(p: number): boolean {
  return Number.isFinite(p) && p >= 0 && p <= 100 && Math.abs(Math.round(p * 100) - p * 100) < 1e-6;
}

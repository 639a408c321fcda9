/**
 * Evaluation of fraud scores. A row is flagged when score >= threshold — the same comparison the policy uses.
 */

/** ROC AUC via the rank-sum (Mann–Whitney) statistic with average ranks for ties; NaN without both classes. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  if (labels.length !== n) throw new RangeError(`${n} scores but ${labels.length} labels`);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number) || a - b);
  let positives = 0;
  let rankSum = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1] as number] === scores[order[i] as number]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[order[k] as number] === 1) {
        positives++;
        rankSum += avgRank;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export interface ThresholdMetrics {
  readonly threshold: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly trueNegatives: number;
  readonly falseNegatives: number;
  /** TP / (TP + FP); NaN when nothing is flagged. */
  readonly precision: number;
  /** TP / (TP + FN): share of fraud caught. */
  readonly recall: number;
  /** FP / (FP + TN): share of legitimate transactions flagged. */
  readonly falsePositiveRate: number;
  /** Share of all transactions flagged. */
  readonly flaggedRate: number;
}

export function metricsAtThreshold(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): ThresholdMetrics {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < scores.length; i++) {
    const flagged = (scores[i] as number) >= threshold;
    if (labels[i] === 1) flagged ? tp++ : fn++;
    else flagged ? fp++ : tn++;
  }
  return {
    threshold,
    truePositives: tp,
    falsePositives: fp,
    trueNegatives: tn,
    falseNegatives: fn,
    precision: tp + fp === 0 ? NaN : tp / (tp + fp),
    recall: tp + fn === 0 ? NaN : tp / (tp + fn),
    falsePositiveRate: fp + tn === 0 ? NaN : fp / (fp + tn),
    flaggedRate: scores.length === 0 ? NaN : (tp + fp) / scores.length,
  };
}

/**
 * The smallest threshold, rounded up to `decimals` places, at which at most `maxFpr` of the negatives score
 * >= threshold. Rounding up keeps the FPR bound true for the rounded value.
 */
export function thresholdForFalsePositiveRate(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  maxFpr: number,
  decimals = 3,
): number {
  const negatives: number[] = [];
  for (let i = 0; i < scores.length; i++) if (labels[i] !== 1) negatives.push(scores[i] as number);
  if (negatives.length === 0) throw new RangeError('No negatives to calibrate a threshold on');
  negatives.sort((a, b) => b - a);
  const allowed = Math.floor(maxFpr * negatives.length);
  // Strictly above the (allowed+1)-th highest negative score flags at most `allowed` negatives.
  const bound = allowed < negatives.length ? (negatives[allowed] as number) : -Infinity;
  const scale = 10 ** decimals;
  let t = Math.ceil(bound * scale) / scale;
  if (t <= bound) t = (Math.round(t * scale) + 1) / scale;
  return Math.min(Math.max(t, 0), 1);
}

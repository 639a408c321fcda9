import { metricsAtThreshold, rocAuc, type ThresholdMetrics } from '@verdict/training';

export interface ScenarioRecall {
  readonly scenario: string;
  readonly count: number;
  /** Share of this scenario's transactions scoring at or above the review / decline threshold. */
  readonly reviewOrDeclineRecall: number;
  readonly declineRecall: number;
  /** ROC AUC of this scenario's transactions against all legitimate ones. */
  readonly rocAuc: number;
}

export interface Evaluation {
  readonly rows: number;
  readonly positives: number;
  readonly rocAuc: number;
  /** ROC AUC with the transactions of request-invisible scenarios left out (null without scenario labels). */
  readonly visibleFraud: { readonly excludedScenarios: readonly string[]; readonly rows: number; readonly rocAuc: number } | null;
  readonly review: ThresholdMetrics;
  readonly decline: ThresholdMetrics;
  readonly byScenario: readonly ScenarioRecall[];
}

export function evaluateScores(
  scores: Float32Array,
  labels: Uint8Array,
  scenarios: readonly string[] | null,
  reviewThreshold: number,
  declineThreshold: number,
  invisibleScenarios: readonly string[] = [],
): Evaluation {
  let positives = 0;
  for (const y of labels) positives += y;
  const byScenario: ScenarioRecall[] = [];
  if (scenarios !== null) {
    const names = [...new Set(scenarios.filter((s) => s !== ''))].sort();
    for (const scenario of names) {
      const s: number[] = [];
      const y: number[] = [];
      let count = 0;
      let review = 0;
      let decline = 0;
      for (let i = 0; i < scores.length; i++) {
        const score = scores[i] as number;
        if (scenarios[i] === scenario) {
          count++;
          if (score >= reviewThreshold) review++;
          if (score >= declineThreshold) decline++;
          s.push(score);
          y.push(1);
        } else if (labels[i] === 0) {
          s.push(score);
          y.push(0);
        }
      }
      byScenario.push({ scenario, count, reviewOrDeclineRecall: review / count, declineRecall: decline / count, rocAuc: rocAuc(s, y) });
    }
  }
  let visibleFraud: Evaluation['visibleFraud'] = null;
  if (scenarios !== null) {
    const excluded = new Set(invisibleScenarios);
    const s: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < scores.length; i++) {
      if (excluded.has(scenarios[i] as string)) continue;
      s.push(scores[i] as number);
      y.push(labels[i] as number);
    }
    visibleFraud = { excludedScenarios: [...invisibleScenarios], rows: s.length, rocAuc: rocAuc(s, y) };
  }
  return {
    rows: scores.length,
    positives,
    rocAuc: rocAuc(scores, labels),
    visibleFraud,
    review: metricsAtThreshold(scores, labels, reviewThreshold),
    decline: metricsAtThreshold(scores, labels, declineThreshold),
    byScenario,
  };
}

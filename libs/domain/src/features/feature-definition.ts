import type { DecisionRequest } from '../decision-request';

/**
 * One model input computed from a validated request alone (no history, no I/O). The same definition feeds
 * training and the engine at decision time, so a feature cannot drift between the two.
 */
export interface FeatureDefinition {
  /** Stable column name: stored in model metadata and in every DecisionMade event. Never rename one. */
  readonly name: string;
  readonly description: string;
  /** Must return a finite number for every valid request (missing inputs map to a documented value). */
  compute(request: DecisionRequest): number;
}

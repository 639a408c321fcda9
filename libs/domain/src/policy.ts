import type { Outcome, PolicySnapshot } from './decision-made.event';

export class InvalidPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidPolicyError';
  }
}

/** A versioned threshold policy. Validated once, when it is loaded, so deciding can't fail on it. */
export function definePolicy(p: PolicySnapshot): PolicySnapshot {
  const inUnit = (x: number) => Number.isFinite(x) && x >= 0 && x <= 1;
  if (!p.version) throw new InvalidPolicyError('policy version is required');
  if (!inUnit(p.reviewThreshold) || !inUnit(p.declineThreshold)) {
    throw new InvalidPolicyError('policy thresholds must be numbers in [0, 1]');
  }
  if (p.reviewThreshold > p.declineThreshold) {
    throw new InvalidPolicyError(`review threshold ${p.reviewThreshold} exceeds decline threshold ${p.declineThreshold}`);
  }
  return Object.freeze({ version: p.version, reviewThreshold: p.reviewThreshold, declineThreshold: p.declineThreshold });
}

/** score ≥ decline → decline; ≥ review → review; else approve. */
export function applyPolicy(score: number, policy: PolicySnapshot): Outcome {
  if (score >= policy.declineThreshold) return 'decline';
  if (score >= policy.reviewThreshold) return 'review';
  return 'approve';
}

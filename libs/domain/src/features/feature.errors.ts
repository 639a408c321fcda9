/** Stable codes callers branch on (never on message text). */
export enum FeatureErrorCode {
  UnknownFeature = 'UNKNOWN_FEATURE',
  InvalidFeatureOutput = 'INVALID_FEATURE_OUTPUT',
  NonFiniteFeature = 'NON_FINITE_FEATURE',
  InvalidFeatureColumn = 'INVALID_FEATURE_COLUMN',
  HistoryValuesMissing = 'HISTORY_VALUES_MISSING',
}

export class UnknownFeatureError extends Error {
  readonly code = FeatureErrorCode.UnknownFeature;
  constructor(readonly feature: string) {
    super(`Unknown feature "${feature}"`);
    this.name = 'UnknownFeatureError';
  }
}

/** The output buffer cannot hold the vector at the requested offset. */
export class InvalidFeatureOutputError extends Error {
  readonly code = FeatureErrorCode.InvalidFeatureOutput;
  constructor(message: string) {
    super(message);
    this.name = 'InvalidFeatureOutputError';
  }
}

/** A feature produced NaN or ±Infinity: a bug in its definition, never silently fed to a model. */
export class NonFiniteFeatureError extends Error {
  readonly code = FeatureErrorCode.NonFiniteFeature;
  constructor(
    readonly feature: string,
    readonly value: number,
  ) {
    super(`Feature "${feature}" computed a non-finite value (${String(value)})`);
    this.name = 'NonFiniteFeatureError';
  }
}

/** A column spec that names a valid feature or attribute in a way that cannot work (bad default, listed twice, …). */
export class InvalidFeatureColumnError extends Error {
  readonly code = FeatureErrorCode.InvalidFeatureColumn;
  constructor(
    readonly feature: string,
    reason: string,
  ) {
    super(`Feature column "${feature}" ${reason}`);
    this.name = 'InvalidFeatureColumnError';
  }
}

/** A row with history columns was built without their values (FeaturePlan.build's `history`), or with the wrong count. */
export class HistoryValuesMissingError extends Error {
  readonly code = FeatureErrorCode.HistoryValuesMissing;
  constructor(
    readonly expected: readonly string[],
    received: number | undefined,
  ) {
    super(`The row needs ${expected.length} history feature values (${expected.join(', ')}), got ${received ?? 'none'}`);
    this.name = 'HistoryValuesMissingError';
  }
}

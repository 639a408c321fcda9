import { DEFAULT_GBDT_PARAMS, type GradientBoostingParams } from '@verdict/training';

/** Version 1.0.0's input columns, in order: @verdict/domain features computed from the request alone. */
const REQUEST_FEATURES: readonly string[] = [
  'amount',
  'amount_cents',
  'amount_is_round',
  'amount_is_micro',
  'hour_of_day',
  'day_of_week',
  'is_night',
  'is_weekend',
  'channel_ecom',
  'channel_pos',
  'channel_atm',
  'channel_moto',
  'card_not_present',
  'mcc_code',
  'mcc_group',
  'mcc_high_risk',
  'is_foreign',
  'has_device',
  'has_ip',
];

/**
 * Version 2.0.0 adds history features (docs/features.md): the card's velocity and where it was used, the terminal's
 * fraud labels as known at the time (the compromised-terminal pattern is invisible without them), and how new the
 * card, terminal, device and IP are. Not `card_declines_24h`: it counts Verdict's own declines, which simulated
 * training data has none of.
 */
const HISTORY_FEATURES_2: readonly string[] = [
  'card_count_10m',
  'card_count_1h',
  'card_count_24h',
  'card_amount_24h',
  'card_count_7d',
  'card_amount_to_mean_30d',
  'card_seconds_since_last',
  'card_age_days',
  'card_distinct_merchants_24h',
  'card_distinct_countries_24h',
  'merchant_fraud_labels_28d',
  'merchant_count_24h',
  'merchant_count_7d',
  'merchant_count_30d',
  'device_count_24h',
  'device_age_days',
  'ip_count_24h',
];

export interface SimulationConfig {
  readonly seed: number;
  readonly customers: number;
  readonly terminals: number;
  readonly days: number;
  readonly startDate: string;
}

export interface SplitConfig {
  /** Last days held out for evaluation (never seen in training). */
  readonly testDays: number;
  /** Days just before the test period used for early stopping and threshold calibration. */
  readonly validationDays: number;
}

export interface PolicyTargets {
  readonly version: string;
  /** Largest share of legitimate validation transactions sent to review or declined. */
  readonly reviewFpr: number;
  /** Largest share of legitimate validation transactions declined. */
  readonly declineFpr: number;
}

export interface TrainingConfig {
  /**
   * Scenarios whose transactions carry no request-level signal, reported separately so the model's ROC AUC on
   * what it can see is not hidden behind what it cannot.
   */
  readonly requestInvisibleScenarios: readonly string[];
  readonly modelName: string;
  readonly modelVersion: string;
  readonly features: readonly string[];
  readonly simulation: SimulationConfig;
  readonly split: SplitConfig;
  readonly params: GradientBoostingParams;
  readonly policy: PolicyTargets;
}

/** Version 1.0.0: the request alone. Kept so that `npm run train -- --model-version 1.0.0 --check` still reproduces it. */
const FRAUD_DEMO_1: TrainingConfig = {
  // Every transaction at a compromised terminal is fraud, yet each one is the cardholder's ordinary purchase.
  requestInvisibleScenarios: ['compromised-terminal'],
  modelName: 'fraud-demo',
  modelVersion: '1.0.0',
  features: REQUEST_FEATURES,
  simulation: { seed: 20260101, customers: 3000, terminals: 1500, days: 42, startDate: '2026-01-01' },
  split: { testDays: 10, validationDays: 5 },
  params: { ...DEFAULT_GBDT_PARAMS, nEstimators: 400, learningRate: 0.08, maxDepth: 6, minSamplesLeaf: 40, l2: 2, seed: 7 },
  policy: { version: 'fraud-demo-1', reviewFpr: 0.03, declineFpr: 0.005 },
};

/** Version 2.0.0: the request and its history. */
const FRAUD_DEMO_2: TrainingConfig = {
  ...FRAUD_DEMO_1,
  modelVersion: '2.0.0',
  features: [...REQUEST_FEATURES, ...HISTORY_FEATURES_2],
  policy: { ...FRAUD_DEMO_1.policy, version: 'fraud-demo-2' },
};

/** Every version of the demo model the trainer knows, oldest first; each lives in models/fraud-demo/<version>/. */
export const FRAUD_DEMO_VERSIONS: readonly TrainingConfig[] = [FRAUD_DEMO_1, FRAUD_DEMO_2];

/** The newest version: what `npm run train` builds by default, and the champion of a fresh start. */
export const FRAUD_DEMO_CONFIG: TrainingConfig = FRAUD_DEMO_2;

/** The configuration of `version`, or the newest one renamed for a version the trainer does not know (an experiment). */
export const fraudDemoConfig = (version: string): TrainingConfig =>
  FRAUD_DEMO_VERSIONS.find((c) => c.modelVersion === version) ?? { ...FRAUD_DEMO_CONFIG, modelVersion: version };

import { DEFAULT_GBDT_PARAMS, type GradientBoostingParams } from '@verdict/training';

/** Model input columns, in order. Every name is a @verdict/domain feature computed from the request alone. */
const FRAUD_DEMO_FEATURES: readonly string[] = [
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

export const FRAUD_DEMO_CONFIG: TrainingConfig = {
  // Every transaction at a compromised terminal is fraud, yet each one is the cardholder's ordinary purchase.
  requestInvisibleScenarios: ['compromised-terminal'],
  modelName: 'fraud-demo',
  modelVersion: '1.0.0',
  features: FRAUD_DEMO_FEATURES,
  simulation: { seed: 20260101, customers: 3000, terminals: 1500, days: 42, startDate: '2026-01-01' },
  split: { testDays: 10, validationDays: 5 },
  params: { ...DEFAULT_GBDT_PARAMS, nEstimators: 400, learningRate: 0.08, maxDepth: 6, minSamplesLeaf: 40, l2: 2, seed: 7 },
  policy: { version: 'fraud-demo-1', reviewFpr: 0.03, declineFpr: 0.005 },
};

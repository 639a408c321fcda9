import type { GradientBoostingParams } from '@verdict/training';
import type { TrainingStatistics } from '@verdict/domain';
import type { FeatureSummary } from './baseline-statistics';
import type { Evaluation } from './evaluation';
import type { SimulationConfig, SplitConfig } from './fraud-demo-config';

export interface ExternalEvaluation {
  readonly dataset: string;
  readonly source: string;
  readonly rows: number;
  readonly positives: number;
  readonly rocAuc: number;
  readonly review: { readonly recall: number; readonly falsePositiveRate: number };
  readonly decline: { readonly recall: number; readonly falsePositiveRate: number };
  readonly notes: string;
}

/** models/<name>/model.json: everything needed to audit, reproduce and monitor the committed model. */
export interface ModelManifest {
  readonly name: string;
  readonly version: string;
  readonly file: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly producer: string;
  readonly input: { readonly name: string; readonly shape: readonly (string | number)[]; readonly type: 'float32' };
  readonly scoreOutput: string;
  readonly features: readonly string[];
  readonly baseline: readonly number[];
  readonly policy: { readonly version: string; readonly reviewThreshold: number; readonly declineThreshold: number };
  readonly training: {
    readonly seed: number;
    readonly simulation: SimulationConfig;
    readonly split: SplitConfig & {
      readonly trainRows: number;
      readonly validationRows: number;
      readonly testRows: number;
      readonly trainFraudRate: number;
    };
    readonly params: GradientBoostingParams;
    /** Validation false-positive rates the policy thresholds were calibrated to. */
    readonly thresholdCalibration: { readonly reviewFpr: number; readonly declineFpr: number };
    readonly trees: number;
    readonly nodes: number;
    readonly featureGain: readonly { readonly feature: string; readonly share: number }[];
  };
  readonly metrics: {
    readonly validation: Evaluation;
    readonly test: Evaluation;
    readonly external: ExternalEvaluation | null;
  };
  readonly featureSummary: readonly FeatureSummary[];
  /** Registered into the version's manifest at bootstrap: drift monitoring's baseline. */
  readonly trainingStatistics: TrainingStatistics;
}

import { VERDICT_METADATA_KEYS } from '@verdict/model-runtime/verdict-metadata-keys';

export { VERDICT_METADATA_KEYS };

export interface VerdictModelMetadata {
  readonly modelName: string;
  readonly modelVersion: string;
  /** Input column order. */
  readonly features: readonly string[];
  /** Reference value per feature (same order), substituted one at a time to explain a score. */
  readonly baseline: readonly number[];
  /** "<output>:<column>" of the positive-class score. */
  readonly scoreOutput: string;
}

/** Entries in a fixed order, so the serialized model is byte-stable. */
export function verdictMetadataEntries(m: VerdictModelMetadata): [string, string][] {
  if (m.baseline.length !== m.features.length) {
    throw new RangeError(`${m.baseline.length} baseline values for ${m.features.length} features`);
  }
  return [
    [VERDICT_METADATA_KEYS.features, JSON.stringify(m.features)],
    [VERDICT_METADATA_KEYS.baseline, JSON.stringify(m.baseline)],
    [VERDICT_METADATA_KEYS.scoreOutput, m.scoreOutput],
    [VERDICT_METADATA_KEYS.modelName, m.modelName],
    [VERDICT_METADATA_KEYS.modelVersion, m.modelVersion],
  ];
}

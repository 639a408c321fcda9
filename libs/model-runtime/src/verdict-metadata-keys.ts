/**
 * ONNX `metadata_props` keys through which a model tells the runtime how to feed and read it. Verdict's trainer
 * writes them (libs/training); OnnxModelRuntime reads them. One definition for both sides.
 */
export const VERDICT_METADATA_KEYS = {
  features: 'verdict.features',
  baseline: 'verdict.baseline',
  scoreOutput: 'verdict.score_output',
  modelName: 'verdict.model_name',
  modelVersion: 'verdict.model_version',
} as const;

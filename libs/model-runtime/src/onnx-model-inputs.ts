import type { InferenceSession } from 'onnxruntime-node';
import { ModelLoadError, ModelLoadErrorCode } from './model-runtime.errors';
import { VERDICT_METADATA_KEYS } from './onnx-model-metadata';
import { describeValue } from './score-output-selection';

export interface FloatInput {
  readonly name: string;
  /** Static feature count from the input shape; undefined when the dimension is symbolic. */
  readonly featureCount: number | undefined;
}

/** Verdict feeds exactly one float32 tensor [N, F]; anything else needs a re-export, not a guess. */
export function checkSingleFloatInput(path: string, inputs: readonly InferenceSession.ValueMetadata[]): FloatInput {
  const listing = inputs.map(describeValue).join(', ');
  if (inputs.length !== 1) {
    throw new ModelLoadError(
      ModelLoadErrorCode.UnsupportedInput,
      path,
      `the model has ${inputs.length} inputs (${listing}); Verdict feeds a single float32 tensor [N, features]. ` +
        'Re-export the model with one float32 input holding all features in column order ' +
        '(encode categorical/string columns before the model)',
    );
  }
  const input = inputs[0];
  if (!input.isTensor || input.type !== 'float32') {
    throw new ModelLoadError(
      ModelLoadErrorCode.UnsupportedInput,
      path,
      `the input ${listing} must be a float32 tensor [N, features]`,
    );
  }
  // An empty shape means onnxruntime does not know it; ORT checks the fed tensor at run time.
  if (input.shape.length === 0) return { name: input.name, featureCount: undefined };
  if (input.shape.length !== 2) {
    throw new ModelLoadError(
      ModelLoadErrorCode.UnsupportedInput,
      path,
      `the input ${listing} must have rank 2 [N, features]`,
    );
  }
  const [batch, width] = input.shape;
  if (typeof batch === 'number' && batch > 0) {
    throw new ModelLoadError(
      ModelLoadErrorCode.UnsupportedInput,
      path,
      `the input ${listing} has a fixed batch size ${batch}; re-export with a dynamic first dimension ` +
        "(e.g. torch.onnx.export(..., dynamic_axes={'input': {0: 'batch'}}) or skl2onnx initial_types [None, F])",
    );
  }
  return { name: input.name, featureCount: typeof width === 'number' && width > 0 ? width : undefined };
}

function checkNames(path: string, names: readonly string[], source: string, code: ModelLoadErrorCode): void {
  if (names.length === 0) throw new ModelLoadError(code, path, `${source} lists no features`);
  const seen = new Set<string>();
  for (const n of names) {
    if (typeof n !== 'string' || n.length === 0) {
      throw new ModelLoadError(code, path, `${source} contains an empty or non-string feature name`);
    }
    if (seen.has(n)) throw new ModelLoadError(code, path, `${source} names feature "${n}" twice`);
    seen.add(n);
  }
}

export function resolveFeatures(
  path: string,
  fromConfig: readonly string[] | undefined,
  fromMetadata: readonly string[] | undefined,
  featureCount: number | undefined,
): string[] {
  const source = fromConfig ? 'the configured features' : `metadata "${VERDICT_METADATA_KEYS.features}"`;
  const features = fromConfig ?? fromMetadata;
  if (!features) {
    throw new ModelLoadError(
      ModelLoadErrorCode.MissingFeatures,
      path,
      `the model has no "${VERDICT_METADATA_KEYS.features}" metadata and no features were configured; ` +
        `configure the names of the ${featureCount ?? 'model\'s'} input columns in order`,
    );
  }
  checkNames(
    path,
    features,
    source,
    fromConfig ? ModelLoadErrorCode.InvalidConfig : ModelLoadErrorCode.InvalidMetadata,
  );
  if (featureCount !== undefined && features.length !== featureCount) {
    throw new ModelLoadError(
      ModelLoadErrorCode.FeatureMismatch,
      path,
      `${source} has ${features.length} names but the model input has ${featureCount} columns`,
    );
  }
  return [...features];
}

export function resolveBaseline(
  path: string,
  fromConfig: readonly number[] | undefined,
  fromMetadata: readonly number[] | undefined,
  featureCount: number,
): number[] {
  const baseline = fromConfig ?? fromMetadata;
  if (!baseline) return new Array<number>(featureCount).fill(0);
  const source = fromConfig ? 'the configured baseline' : `metadata "${VERDICT_METADATA_KEYS.baseline}"`;
  if (baseline.length !== featureCount) {
    throw new ModelLoadError(
      ModelLoadErrorCode.BaselineMismatch,
      path,
      `${source} has ${baseline.length} values but there are ${featureCount} features`,
    );
  }
  if (!baseline.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new ModelLoadError(
      fromConfig ? ModelLoadErrorCode.InvalidConfig : ModelLoadErrorCode.InvalidMetadata,
      path,
      `${source} must contain only finite numbers`,
    );
  }
  return [...baseline];
}

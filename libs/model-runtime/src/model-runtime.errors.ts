/** Stable codes callers branch on (never on message text). */
export enum ModelLoadErrorCode {
  FileNotFound = 'FILE_NOT_FOUND',
  FileUnreadable = 'FILE_UNREADABLE',
  /** The bytes are not an ONNX ModelProto (or have no graph). */
  InvalidModel = 'INVALID_MODEL',
  /** onnxruntime parsed the model but refused to build a session (e.g. an opset it has no kernel for). */
  UnsupportedModel = 'UNSUPPORTED_MODEL',
  /** A tensor's data is stored outside the model's bytes (onnxruntime would read it from files). */
  ExternalData = 'EXTERNAL_DATA',
  /** The model's inputs do not fit the single float32 [N, F] contract. */
  UnsupportedInput = 'UNSUPPORTED_INPUT',
  /** No usable score output (ZipMap only, ambiguous, or not a float tensor). */
  UnsupportedOutput = 'UNSUPPORTED_OUTPUT',
  /** Neither the model metadata nor the configuration names the features. */
  MissingFeatures = 'MISSING_FEATURES',
  FeatureMismatch = 'FEATURE_MISMATCH',
  BaselineMismatch = 'BASELINE_MISMATCH',
  /** A `verdict.*` metadata value cannot be parsed. */
  InvalidMetadata = 'INVALID_METADATA',
  InvalidConfig = 'INVALID_CONFIG',
}

export class ModelLoadError extends Error {
  constructor(
    readonly code: ModelLoadErrorCode,
    /** The model file the error is about. */
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot load model ${path}: ${message}`, options);
    this.name = 'ModelLoadError';
  }
}

export enum ModelScoreErrorCode {
  /** `values`/`rows` do not describe a rows × features float32 matrix. */
  InvalidInput = 'INVALID_SCORE_INPUT',
  /** onnxruntime failed during the run. */
  RunFailed = 'MODEL_RUN_FAILED',
  Closed = 'MODEL_RUNTIME_CLOSED',
}

export class ModelScoreError extends Error {
  constructor(
    readonly code: ModelScoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ModelScoreError';
  }
}

export const isModelLoadError = (e: unknown): e is ModelLoadError => e instanceof ModelLoadError;
export const isModelScoreError = (e: unknown): e is ModelScoreError => e instanceof ModelScoreError;

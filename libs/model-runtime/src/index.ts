export * from './model-runtime.port';
export * from './model-runtime.errors';
export { OnnxModelRuntime, type OnnxModelBytesConfig, type OnnxModelConfig } from './onnx-model-runtime';
export { VERDICT_METADATA_KEYS, parseScoreOutputRef, readModelProto, readVerdictMetadata, type ScoreOutputRef } from './onnx-model-metadata';

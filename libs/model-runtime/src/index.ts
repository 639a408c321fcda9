export * from './model-runtime.port';
export * from './model-runtime.errors';
export { OnnxModelRuntime, type OnnxModelBytesConfig, type OnnxModelConfig } from './onnx-model-runtime';
export { VERDICT_METADATA_KEYS, parseScoreOutputRef, readModelProto, readVerdictMetadata, type ScoreOutputRef } from './onnx-model-metadata';
export { readModelSignature, signatureOf, decodeModel } from './model-signature';
export { rewriteZipMap, type ZipMapRewrite } from './zipmap-rewrite';
export { decodeOipTensor, encodeOipTensor, InferenceInputError, oipDatatypeOf } from './oip-tensor-codec';
export { RawInferenceSession } from './raw-inference-session';
export { ReplaySession, type RecordedRun, type ReplayBatch } from './replay-session';

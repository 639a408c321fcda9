/** Raw inference (Open Inference Protocol v2) is recorded like a decision: one event per call, before the answer. */
export const INFERENCE_MADE = 'InferenceMade' as const;
export const INFERENCE_STREAM_PREFIX = 'inference-';
export const inferenceStreamId = (inferenceId: string): string => `${INFERENCE_STREAM_PREFIX}${inferenceId}`;

/** An OIP v2 tensor in its JSON form (non-finite floats as "NaN", "Infinity", "-Infinity"). */
export interface OipTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly datatype: string;
  readonly data: readonly unknown[];
  readonly parameters?: Record<string, unknown>;
}

export interface InferenceMadeV1 {
  readonly schemaVersion: 1;
  /** The request's `id` (a retry with the same id is the same call), or one the engine chose. */
  readonly inferenceId: string;
  readonly model: { readonly name: string; readonly version: string; readonly sha256: string; readonly servedSha256: string };
  /** sha256 of the canonical request: a retry with the same id must repeat it. */
  readonly requestHash: string;
  readonly inputs: readonly OipTensor[];
  /** The outputs the caller asked for, or null for "every tensor output". */
  readonly requestedOutputs: readonly string[] | null;
  readonly outputs: readonly OipTensor[];
  readonly inferredAt: string;
  readonly inferenceMs: number;
}

import type { ModelManifest } from './model-manifest';
import type { ModelSignature } from './model-signature';

/** Event type names are part of the stored format: never rename one. Documented in docs/events.md. */
export const MODEL_VERSION_REGISTERED = 'ModelVersionRegistered' as const;
export const MODEL_VERSION_RETIRED = 'ModelVersionRetired' as const;

export const MODEL_STREAM_PREFIX = 'model-';
/** One stream per model name; every version's registration and retirement is on it, in order. */
export const modelStreamId = (name: string): string => `${MODEL_STREAM_PREFIX}${name}`;

/** Graph rewrites applied before serving (the uploaded bytes are kept as they are). */
export type ModelRewrite = 'zipmap';

export interface ModelVersionRegisteredV1 {
  readonly schemaVersion: 1;
  readonly name: string;
  readonly version: string;
  /** sha256 of the bytes as uploaded. */
  readonly sha256: string;
  /** sha256 of the bytes the runtime loads: the uploaded ones, or the rewritten graph when `rewrites` is not empty. */
  readonly servedSha256: string;
  readonly sizeBytes: number;
  readonly rewrites: readonly ModelRewrite[];
  /** Inputs and outputs of the served graph. */
  readonly signature: ModelSignature;
  /** The manifest as uploaded, completed from the model's own `verdict.*` metadata where it was silent. */
  readonly manifest: ModelManifest;
  readonly registeredAt: string;
  readonly actor: string;
}

export interface ModelVersionRetiredV1 {
  readonly schemaVersion: 1;
  readonly name: string;
  readonly version: string;
  readonly reason: string;
  readonly retiredAt: string;
  readonly actor: string;
}

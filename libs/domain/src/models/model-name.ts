/** Model names and versions: 1–64 characters of [A-Za-z0-9._-]. They appear in URLs and stream names. */
export const MODEL_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export const isModelId = (value: string): boolean => MODEL_ID_PATTERN.test(value);

/** A model version as deployments and decisions refer to it. */
export interface ModelVersionRef {
  readonly name: string;
  readonly version: string;
}

export const modelVersionKey = (ref: ModelVersionRef): string => `${ref.name}@${ref.version}`;

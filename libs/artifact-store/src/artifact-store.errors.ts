/** Stable codes callers branch on (never on message text). */
export enum ArtifactErrorCode {
  Missing = 'ARTIFACT_MISSING',
  Altered = 'ARTIFACT_ALTERED',
  InvalidId = 'INVALID_ARTIFACT_ID',
  Invalid = 'INVALID_ARTIFACT',
  Unavailable = 'ARTIFACT_STORE_UNAVAILABLE',
}

export abstract class ArtifactStoreError extends Error {
  abstract readonly code: ArtifactErrorCode;
}

/** Nothing is stored under this sha256 (never stored, or deleted behind the store's back). */
export class ArtifactMissingError extends ArtifactStoreError {
  readonly code = ArtifactErrorCode.Missing;
  constructor(readonly sha256: string) {
    super(`No artifact is stored under sha256 ${sha256}`);
    this.name = 'ArtifactMissingError';
  }
}

/** Bytes are stored under this sha256, but they hash to something else: they were altered after they were stored. */
export class ArtifactAlteredError extends ArtifactStoreError {
  readonly code = ArtifactErrorCode.Altered;
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`The artifact stored under sha256 ${expected} hashes to ${actual}: it was altered after it was stored`);
    this.name = 'ArtifactAlteredError';
  }
}

export class InvalidArtifactIdError extends ArtifactStoreError {
  readonly code = ArtifactErrorCode.InvalidId;
  constructor(readonly id: string) {
    super(`"${id.slice(0, 80)}" is not a sha256 (64 lower-case hex digits)`);
    this.name = 'InvalidArtifactIdError';
  }
}

export class InvalidArtifactError extends ArtifactStoreError {
  readonly code = ArtifactErrorCode.Invalid;
  constructor(message: string) {
    super(message);
    this.name = 'InvalidArtifactError';
  }
}

/** The backing store failed or cannot be reached. Never swallowed. */
export class ArtifactStoreUnavailableError extends ArtifactStoreError {
  readonly code = ArtifactErrorCode.Unavailable;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ArtifactStoreUnavailableError';
  }
}

export const isArtifactMissing = (e: unknown): e is ArtifactMissingError => e instanceof ArtifactMissingError;
export const isArtifactAltered = (e: unknown): e is ArtifactAlteredError => e instanceof ArtifactAlteredError;
export const isArtifactStoreUnavailable = (e: unknown): e is ArtifactStoreUnavailableError => e instanceof ArtifactStoreUnavailableError;

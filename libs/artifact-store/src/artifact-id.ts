import { createHash } from 'node:crypto';
import { InvalidArtifactError, InvalidArtifactIdError } from './artifact-store.errors';

const SHA256 = /^[0-9a-f]{64}$/;

export const sha256Of = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Refuses anything but 64 lower-case hex digits before any I/O (ids become file names and SQL parameters). */
export function checkArtifactId(sha256: string): void {
  if (typeof sha256 !== 'string' || !SHA256.test(sha256)) throw new InvalidArtifactIdError(String(sha256));
}

export function checkArtifactBytes(bytes: Uint8Array): void {
  if (!(bytes instanceof Uint8Array)) throw new InvalidArtifactError('an artifact is a Uint8Array of bytes');
  if (bytes.length === 0) throw new InvalidArtifactError('an artifact cannot be empty');
}

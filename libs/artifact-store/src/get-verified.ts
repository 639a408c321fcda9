import { sha256Of } from './artifact-id';
import { ArtifactAlteredError, ArtifactMissingError } from './artifact-store.errors';
import type { ArtifactStore } from './artifact-store.port';

/**
 * The bytes stored under `sha256`, re-hashed: what the runtime and an auditor's replay load. Throws
 * ArtifactMissingError when none are stored and ArtifactAlteredError when they no longer hash to their name.
 */
export async function getVerified(store: ArtifactStore, sha256: string): Promise<Uint8Array> {
  const bytes = await store.get(sha256);
  if (bytes === null) throw new ArtifactMissingError(sha256);
  const actual = sha256Of(bytes);
  if (actual !== sha256) throw new ArtifactAlteredError(sha256, actual);
  return bytes;
}

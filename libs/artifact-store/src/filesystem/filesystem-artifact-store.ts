import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { checkArtifactBytes, checkArtifactId, sha256Of } from '../artifact-id';
import { ArtifactStoreUnavailableError } from '../artifact-store.errors';
import type { ArtifactRef, ArtifactStore } from '../artifact-store.port';

const TEMP_SUFFIX = '.tmp';

const unavailable = (what: string, cause: unknown): ArtifactStoreUnavailableError =>
  new ArtifactStoreUnavailableError(`Artifact store: ${what} failed: ${(cause as Error).message}`, { cause });

/**
 * Artifacts as files: `<dir>/<first two hex>/<sha256>.onnx`. A put writes a temporary file in the same directory,
 * fsyncs it, renames it into place and fsyncs the directory, so a crash never leaves a partial file under the final
 * name, and an acknowledged put survives power loss. Concurrent puts of the same bytes both succeed (the rename of
 * identical content is harmless).
 */
export class FilesystemArtifactStore implements ArtifactStore {
  readonly kind = 'filesystem';

  constructor(readonly dir: string) {}

  /** The file an artifact lives in (test hooks and operators may look at it). */
  pathOf(sha256: string): string {
    checkArtifactId(sha256);
    return path.join(this.dir, sha256.slice(0, 2), `${sha256}.onnx`);
  }

  async put(bytes: Uint8Array): Promise<ArtifactRef> {
    checkArtifactBytes(bytes);
    const sha256 = sha256Of(bytes);
    const ref = { sha256, sizeBytes: bytes.length };
    const final = this.pathOf(sha256);
    if (await this.has(sha256)) return ref;
    const folder = path.dirname(final);
    const temp = path.join(folder, `.${sha256}.${randomUUID()}${TEMP_SUFFIX}`);
    try {
      await mkdir(folder, { recursive: true });
      const file = await open(temp, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o644);
      try {
        await file.writeFile(bytes);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temp, final);
      await syncDirectory(folder);
      return ref;
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined);
      throw unavailable(`storing ${sha256}`, error);
    }
  }

  async get(sha256: string): Promise<Uint8Array | null> {
    const file = this.pathOf(sha256);
    try {
      return new Uint8Array(await readFile(file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw unavailable(`reading ${sha256}`, error);
    }
  }

  async has(sha256: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(sha256))).isFile();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw unavailable(`looking up ${sha256}`, error);
    }
  }

  async ping(): Promise<void> {
    try {
      await mkdir(this.dir, { recursive: true });
      await readdir(this.dir);
    } catch (error) {
      throw unavailable(`opening ${this.dir}`, error);
    }
  }

  async close(): Promise<void> {
    // Nothing held open between calls.
  }
}

/** fsync of the directory makes the rename itself durable (the new name survives a power cut). */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** What `verdict backup` wrote, written last: a directory without it is not a complete backup. */
export interface BackupManifest {
  readonly format: 'verdict-backup';
  readonly version: 1;
  readonly createdAt: string;
  /** The backed-up event store's last position: every decision acknowledged before the backup started is at or below it. */
  readonly eventStoreHead: number;
  /** Every file, relative to the backup (and to the data directory it restores into), with its size and sha256. */
  readonly files: readonly BackupFile[];
}

export interface BackupFile {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

export const MANIFEST_FILE = 'manifest.json';

export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** Every regular file under `dir`, as paths relative to `root` with forward slashes. */
export function filesUnder(root: string, dir = root): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...filesUnder(root, full));
    else if (entry.isFile()) found.push(path.relative(root, full).split(path.sep).join('/'));
  }
  return found.sort();
}

export async function describeFiles(root: string, relative: readonly string[]): Promise<BackupFile[]> {
  const files: BackupFile[] = [];
  for (const rel of relative) {
    const full = path.join(root, rel);
    files.push({ path: rel, bytes: statSync(full).size, sha256: await sha256File(full) });
  }
  return files;
}

import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { MANIFEST_FILE, sha256File, type BackupManifest } from './backup-manifest';

export class RestoreRefusedError extends Error {
  readonly code = 'RESTORE_REFUSED';
  constructor(message: string) {
    super(message);
    this.name = 'RestoreRefusedError';
  }
}

export function readManifest(from: string): BackupManifest {
  const file = path.join(from, MANIFEST_FILE);
  if (!existsSync(file)) throw new RestoreRefusedError(`${from} holds no ${MANIFEST_FILE}: not a complete backup`);
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as BackupManifest;
  if (manifest.format !== 'verdict-backup' || manifest.version !== 1) throw new RestoreRefusedError(`${file} is not a verdict backup this version reads`);
  return manifest;
}

/**
 * `verdict restore`: checks every file of the backup against its manifest before touching the target, then copies
 * them into a staging directory beside it and renames each into place. `force` empties a non-empty target first:
 * a stale `-wal` file left beside a restored database would be replayed into it.
 */
export async function restoreDataDir(from: string, dataDir: string, force = false): Promise<BackupManifest> {
  const manifest = readManifest(from);
  for (const f of manifest.files) {
    const file = path.join(from, f.path);
    if (!existsSync(file)) throw new RestoreRefusedError(`${f.path} is missing from the backup`);
    if ((await sha256File(file)) !== f.sha256) throw new RestoreRefusedError(`${f.path} does not match the manifest's sha256`);
  }
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    if (!force) throw new RestoreRefusedError(`${dataDir} is not empty (--force replaces what it holds)`);
    for (const entry of readdirSync(dataDir)) rmSync(path.join(dataDir, entry), { recursive: true, force: true });
  }
  mkdirSync(dataDir, { recursive: true });
  const staging = path.join(dataDir, '.restoring');
  rmSync(staging, { recursive: true, force: true });
  for (const f of manifest.files) {
    mkdirSync(path.dirname(path.join(staging, f.path)), { recursive: true });
    copyFileSync(path.join(from, f.path), path.join(staging, f.path));
  }
  for (const entry of readdirSync(staging)) renameSync(path.join(staging, entry), path.join(dataDir, entry));
  rmSync(staging, { recursive: true, force: true });
  // Keys are secrets: as the engine creates them.
  const keys = path.join(dataDir, 'keys');
  if (existsSync(keys)) {
    chmodSync(keys, 0o700);
    for (const key of readdirSync(keys)) chmodSync(path.join(keys, key), 0o600);
  }
  return manifest;
}

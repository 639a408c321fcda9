import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { VerdictConfig } from '@verdict/config';
import { describeFiles, filesUnder, MANIFEST_FILE, type BackupManifest } from './backup-manifest';

export class BackupRefusedError extends Error {
  readonly code = 'BACKUP_REFUSED';
  constructor(message: string) {
    super(message);
    this.name = 'BackupRefusedError';
  }
}

export interface BackupProgress {
  readonly step: string;
}

/** Where each part lives in a backup, which is also where it goes back under a data directory. */
export const BACKUP_LAYOUT = { events: 'events.sqlite', readModels: 'read-models.sqlite', subjectKeys: 'subject-keys.sqlite', models: 'models', keys: 'keys' } as const;

/**
 * SQLite's online backup of one database, in one step: all pages are copied under a single read transaction, so the
 * copy is one committed state even while the engine writes (WAL: the writer is not blocked). In smaller steps SQLite
 * restarts the copy whenever another connection writes, which under load need never finish.
 */
async function onlineBackup(source: string, target: string): Promise<void> {
  const db = new Database(source, { fileMustExist: true });
  try {
    await db.backup(target, { progress: () => 0x7fffffff });
  } finally {
    db.close();
  }
  // The copy carries the source's WAL mode; a rollback journal keeps the backup one file per database (the engine
  // turns WAL on again when it opens the restored file).
  const copy = new Database(target);
  try {
    copy.pragma('journal_mode = DELETE');
    const check = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`the copy of ${source} fails SQLite's quick_check: ${String(check)}`);
  } finally {
    copy.close();
  }
}

function copyTree(from: string, to: string): void {
  for (const rel of filesUnder(from)) {
    mkdirSync(path.dirname(path.join(to, rel)), { recursive: true });
    copyFileSync(path.join(from, rel), path.join(to, rel));
  }
}

/**
 * `verdict backup`: the embedded default's data, consistent while the engine runs under load. The order makes the
 * parts fit together: the read models first, then the event store (so the read models' checkpoint is never ahead of
 * the log: on start they catch up), then the model bytes (written before any event names them, so every model the
 * log names is copied) and the keys (the seal key signs seals, the admin key lets the operator in).
 */
export async function backupDataDir(config: VerdictConfig, out: string, progress: (p: BackupProgress) => void = () => undefined): Promise<BackupManifest> {
  if (config.eventStore.kind !== 'sqlite')
    throw new BackupRefusedError(`the event store is ${config.eventStore.kind}: back it up with its own tools (docs/operations.md, "Backup and restore")`);
  if (existsSync(out) && readdirSync(out).length > 0) throw new BackupRefusedError(`${out} is not empty`);
  mkdirSync(out, { recursive: true });

  if (config.readModels.kind === 'sqlite' && existsSync(config.readModels.url)) {
    progress({ step: 'read models' });
    await onlineBackup(config.readModels.url, path.join(out, BACKUP_LAYOUT.readModels));
  }
  progress({ step: 'event store' });
  await onlineBackup(config.eventStore.url, path.join(out, BACKUP_LAYOUT.events));
  // After the log: a subject's key is written before any decision sealed under it, so every decision copied can be read.
  if (config.privacy.keyStore.kind === 'sqlite' && existsSync(config.privacy.keyStore.url)) {
    progress({ step: 'subject keys' });
    await onlineBackup(config.privacy.keyStore.url, path.join(out, BACKUP_LAYOUT.subjectKeys));
  }
  if (config.artifactStore.kind === 'filesystem' && existsSync(config.artifactStore.url)) {
    progress({ step: 'model artifacts' });
    copyTree(config.artifactStore.url, path.join(out, BACKUP_LAYOUT.models));
  }
  progress({ step: 'keys' });
  const keys = path.join(config.dataDir, 'keys');
  if (existsSync(keys)) copyTree(keys, path.join(out, BACKUP_LAYOUT.keys));
  // A seal key or master key kept outside the data directory (VERDICT_SEAL_KEY, VERDICT_MASTER_KEY) goes where the
  // default would be.
  for (const [file, name] of [[config.audit.sealKeyPath, path.basename(config.audit.sealKeyPath)], [config.privacy.masterKeyPath, 'master.key']]) {
    const copy = path.join(out, BACKUP_LAYOUT.keys, name as string);
    if (existsSync(file as string) && !existsSync(copy)) {
      mkdirSync(path.dirname(copy), { recursive: true });
      copyFileSync(file as string, copy);
    }
  }

  progress({ step: 'manifest' });
  const events = new Database(path.join(out, BACKUP_LAYOUT.events), { readonly: true });
  const head = (events.prepare('SELECT COALESCE(MAX(position), 0) AS head FROM events').get() as { head: number }).head;
  events.close();
  const manifest: BackupManifest = {
    format: 'verdict-backup',
    version: 1,
    createdAt: new Date().toISOString(),
    eventStoreHead: head,
    files: await describeFiles(out, filesUnder(out)),
  };
  writeFileSync(path.join(out, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

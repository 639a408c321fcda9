import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '@verdict/config';
import { createEventStore } from '@verdict/event-store';
import { newEvents } from '@verdict/event-store/testing/event-store-test-kit';
import { backupDataDir, BackupRefusedError } from './backup';
import { MANIFEST_FILE } from './backup-manifest';
import { restoreDataDir, RestoreRefusedError } from './restore';

/** Backup and restore on a data directory without an engine: what they copy, and what they refuse. */
describe('backup and restore of a data directory', () => {
  let root: string;
  let dataDir: string;
  let backup: string;

  beforeEach(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'verdict-backup-'));
    dataDir = path.join(root, 'data');
    backup = path.join(root, 'backup');
    const store = await createEventStore({ kind: 'sqlite', url: path.join(dataDir, 'events.sqlite'), schema: 'verdict' });
    await store.appendToStream('s-1', newEvents(3), { expectedRevision: 'no_stream' });
    await store.close();
    mkdirSync(path.join(dataDir, 'models', 'ab'), { recursive: true });
    writeFileSync(path.join(dataDir, 'models', 'ab', 'abcd'), 'model bytes');
    mkdirSync(path.join(dataDir, 'keys'));
    writeFileSync(path.join(dataDir, 'keys', 'admin.key'), 'secret\n', { mode: 0o600 });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const config = () => loadConfig({ VERDICT_DATA_DIR: dataDir });

  it('copies the event store, the model bytes and the keys, and restores them into an empty directory', async () => {
    const manifest = await backupDataDir(config(), backup);
    expect(manifest.eventStoreHead).toBe(3);
    expect(manifest.files.map((f) => f.path)).toEqual(['events.sqlite', 'keys/admin.key', 'models/ab/abcd']);
    const target = path.join(root, 'restored');
    await restoreDataDir(backup, target);
    expect(readFileSync(path.join(target, 'models', 'ab', 'abcd'), 'utf8')).toBe('model bytes');
    expect(statSync(path.join(target, 'keys', 'admin.key')).mode & 0o777).toBe(0o600);
    const store = await createEventStore({ kind: 'sqlite', url: path.join(target, 'events.sqlite'), schema: 'verdict' });
    expect(await store.headPosition()).toBe(3n);
    await store.close();
  });

  it('refuses to write into a non-empty directory, and a store that is not SQLite', async () => {
    mkdirSync(backup);
    writeFileSync(path.join(backup, 'x'), '');
    await expect(backupDataDir(config(), backup)).rejects.toThrow(BackupRefusedError);
    await expect(backupDataDir(loadConfig({ VERDICT_DATA_DIR: dataDir, VERDICT_EVENT_STORE: 'postgres', VERDICT_EVENT_STORE_URL: 'postgres://x/y' }), path.join(root, 'b2'))).rejects.toThrow(
      /back it up with its own tools/,
    );
  });

  it('refuses a backup without a manifest or with a changed file, and a non-empty target without force', async () => {
    await backupDataDir(config(), backup);
    await expect(restoreDataDir(backup, dataDir)).rejects.toThrow(/not empty/);

    writeFileSync(path.join(backup, 'models', 'ab', 'abcd'), 'other bytes');
    await expect(restoreDataDir(backup, path.join(root, 'r1'))).rejects.toThrow(/models\/ab\/abcd does not match/);
    expect(existsSync(path.join(root, 'r1'))).toBe(false);

    rmSync(path.join(backup, MANIFEST_FILE));
    await expect(restoreDataDir(backup, path.join(root, 'r2'))).rejects.toThrow(RestoreRefusedError);
  });

  it('with force replaces what the target held, stale WAL files included', async () => {
    await backupDataDir(config(), backup);
    const store = await createEventStore({ kind: 'sqlite', url: path.join(dataDir, 'events.sqlite'), schema: 'verdict' });
    await store.appendToStream('s-2', newEvents(2), { expectedRevision: 'no_stream' });
    await store.close();
    writeFileSync(path.join(dataDir, 'events.sqlite-wal'), 'stale');
    await restoreDataDir(backup, dataDir, true);
    expect(existsSync(path.join(dataDir, 'events.sqlite-wal'))).toBe(false);
    const restored = await createEventStore({ kind: 'sqlite', url: path.join(dataDir, 'events.sqlite'), schema: 'verdict' });
    expect(await restored.headPosition()).toBe(3n);
    await restored.close();
  });
});

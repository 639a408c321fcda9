import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '@verdict/config';
import { backupDataDir } from '../ops/backup';
import { restoreDataDir } from '../ops/restore';
import type { CliIo } from '../simulate/cli-io';

const dataDirOption = (dir: string | undefined): NodeJS.ProcessEnv => (dir ? { ...process.env, VERDICT_DATA_DIR: path.resolve(dir) } : process.env);

/**
 * `verdict backup` / `verdict restore`: the embedded default's data directory, read and written directly (no engine
 * API; the engine may be running during a backup, and must be stopped for a restore). docs/operations.md.
 */
export function backupCommands(program: Command, io: CliIo, json: () => boolean): void {
  program
    .command('backup')
    .description('online backup of the SQLite event store and read models, the model bytes and the keys, into a new directory')
    .option('--data-dir <dir>', 'the data directory (default: VERDICT_DATA_DIR or ./data; the other VERDICT_* variables apply as to the engine)')
    .requiredOption('--out <dir>', 'a new or empty directory for the backup')
    .action(async (flags: { dataDir?: string; out: string }) => {
      const config = loadConfig(dataDirOption(flags.dataDir));
      const manifest = await backupDataDir(config, path.resolve(flags.out), (p) => io.stderr.write(`backup: ${p.step}\n`));
      const bytes = manifest.files.reduce((sum, f) => sum + f.bytes, 0);
      io.stdout.write(
        json()
          ? `${JSON.stringify(manifest, null, 2)}\n`
          : `backed up ${config.dataDir} to ${path.resolve(flags.out)}: event store through position ${manifest.eventStoreHead}, ${manifest.files.length} files, ${bytes} bytes\n`,
      );
    });

  program
    .command('restore')
    .description('bring a backup back into a data directory (stop the engine first)')
    .requiredOption('--from <dir>', 'the backup directory (written by verdict backup)')
    .requiredOption('--data-dir <dir>', 'the data directory to restore into')
    .option('--force', 'replace what a non-empty data directory holds', false)
    .action(async (flags: { from: string; dataDir: string; force: boolean }) => {
      const manifest = await restoreDataDir(path.resolve(flags.from), path.resolve(flags.dataDir), flags.force);
      io.stdout.write(
        json()
          ? `${JSON.stringify(manifest, null, 2)}\n`
          : `restored ${manifest.files.length} files into ${path.resolve(flags.dataDir)}: event store through position ${manifest.eventStoreHead} (backup of ${manifest.createdAt}); start the engine on it\n`,
      );
    });
}

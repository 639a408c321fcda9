#!/usr/bin/env node
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { apiKeyOption, engineUrlOption } from './engine-options';
import { processIo, type CliIo } from '../simulate/cli-io';
import { ApiClient, ApiError } from './api-client';
import { auditCommands } from './audit-commands';
import { backupCommands } from './backup-commands';
import { deployCommands } from './deploy-commands';
import { exportCommand } from './export-commands';
import { keysCommands } from './keys-commands';
import { labelsCommands } from './labels-commands';
import { modelsCommands } from './models-commands';
import { replayCommand } from './replay-command';

/**
 * `verdict`: the operator's CLI. It speaks to a running engine's HTTP API. Exit codes: 0 done, 1 the API refused or
 * failed (one readable line with the problem's detail on stderr), 2 usage.
 */
export async function runVerdictCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = new Command('verdict')
    .description('Verdict operator CLI: the model registry and the deployment, over the HTTP API')
    .addOption(engineUrlOption())
    .option('--json', 'machine-readable output (the API response as JSON)', false)
    .option('--actor <name>', 'who you are, recorded in every change (default: user@host)')
    .addOption(apiKeyOption('API key sent as Authorization: Bearer'))
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  const opts = (): { url: string; json: boolean; actor?: string; apiKey?: string } => program.opts();
  const client = (): ApiClient => new ApiClient(opts().url, opts().actor, opts().apiKey);
  modelsCommands(program, io, client, () => opts().json);
  keysCommands(program, io, client, () => opts().json);
  deployCommands(program, io, client, () => opts().json);
  exportCommand(program, io, client);
  // A command that ran but found something (a replay mismatch) sets a non-zero code of its own.
  let findings = 0;
  replayCommand(program, io, client, () => opts().json, (code) => (findings = code));
  auditCommands(program, io, client, () => opts().json, (code) => (findings = code));
  labelsCommands(program, io, client, () => opts().json, (code) => (findings = code));
  backupCommands(program, io, () => opts().json);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return findings;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof InvalidArgumentError) {
      io.stderr.write(`verdict: ${e.message}\n`);
      return 2;
    }
    if (e instanceof ApiError || e instanceof Error) {
      io.stderr.write(`verdict: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

if (require.main === module) {
  runVerdictCli(process.argv.slice(2), processIo()).then((code) => (process.exitCode = code));
}

#!/usr/bin/env node
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { apiKeyOption, engineUrlOption } from '../cli/engine-options';
import { SimulationOptionsError } from '@verdict/simulator';
import { CliUsageError, type CliIo, processIo } from './cli-io';
import { runDrive } from './drive-command';
import { formatSummary } from './drive-stats';
import { runGenerate } from './generate-command';
import { OUTPUT_FORMATS, type OutputFormat } from './transaction-writers';

const integer = (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError('must be an integer');
  return n;
};
const positive = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number');
  return n;
};
/** "min-max" in days, e.g. "0.05-0.2" (fractions allowed: a short drive covers few simulated days). */
const dayRange = (value: string): { min: number; max: number } => {
  const m = /^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/.exec(value.trim());
  if (!m || !(Number(m[1]) > 0) || Number(m[2]) < Number(m[1])) throw new InvalidArgumentError('must be min-max days with 0 < min <= max, e.g. 3-60');
  return { min: Number(m[1]), max: Number(m[2]) };
};

interface WorldFlags {
  seed: number;
  customers: number;
  terminals: number;
  startDate?: string;
}

const withWorld = (cmd: Command): Command =>
  cmd
    .option('--seed <n>', 'PRNG seed: same seed and options, same transactions', integer, 42)
    .option('--customers <n>', 'number of simulated cardholders', integer, 2000)
    .option('--terminals <n>', 'number of simulated merchant terminals', integer, 1000)
    .option('--start-date <YYYY-MM-DD>', 'first simulated day (UTC)');

/** Runs the CLI in-process and returns the exit code (0 ok, 1 run failed, 2 usage error). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const program = new Command('simulate')
    .description('Verdict transaction simulator: labelled synthetic card traffic, to files or into a running engine')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  withWorld(program.command('generate').description('write labelled transactions as JSON lines or CSV'))
    .option('--days <n>', 'number of simulated days', integer, 30)
    .addOption(new Option('--format <format>', 'output format').choices(OUTPUT_FORMATS).default('jsonl'))
    .option('--out <file>', 'output file, or "-" for stdout', '-')
    .option('--progress', 'show a progress bar on stderr even when it is not a terminal', false)
    .action(async (flags: WorldFlags & { days: number; format: OutputFormat; out: string; progress: boolean }) => {
      await runGenerate(
        {
          simulation: { seed: flags.seed, customers: flags.customers, terminals: flags.terminals, days: flags.days, startDate: flags.startDate },
          format: flags.format,
          out: flags.out,
          progress: flags.progress,
        },
        io,
      );
    });

  withWorld(program.command('drive').description('stream simulated transactions into POST /v1/decisions of a running engine'))
    .addOption(engineUrlOption())
    .addOption(apiKeyOption('API key (decide; analyze too for chargebacks)'))
    .option('--rate <n>', 'requests per second (open loop)', positive, 200)
    .option('--duration <seconds>', 'how long to send', positive, 30)
    .option('--concurrency <n>', 'most requests in flight at once', integer, 32)
    .option('--id-prefix <prefix>', 'transactionId prefix (default: unique per run, so nothing is an idempotent replay)')
    .option('--report-interval <seconds>', 'seconds between progress lines on stderr', positive, 1)
    .option('--timeout <ms>', 'per-request timeout in milliseconds', positive, 10_000)
    .option('--every <n>', 'send every n-th simulated transaction, so a short run spans more simulated days', integer, 1)
    .option('--night-share <fraction>', 'move this share of the transactions into the night of their day (a drifted population)', Number, 0)
    .option('--json', 'print the final summary as JSON', false)
    .option('--no-chargebacks', 'do not send fraudulent transactions\' chargebacks as labels (POST /v1/labels/batch) when they fall due')
    .option('--chargeback-days <min-max>', 'simulated days from a fraudulent transaction to its chargeback (default 3-60)', dayRange)
    .action(async (flags: WorldFlags & { url: string; apiKey?: string; rate: number; duration: number; concurrency: number; idPrefix?: string; reportInterval: number; timeout: number; json: boolean; chargebacks: boolean; chargebackDays?: { min: number; max: number }; every: number; nightShare: number }) => {
      const summary = await runDrive(
        {
          url: flags.url,
          apiKey: flags.apiKey,
          rate: flags.rate,
          durationSeconds: flags.duration,
          concurrency: flags.concurrency,
          simulation: {
            seed: flags.seed,
            customers: flags.customers,
            terminals: flags.terminals,
            startDate: flags.startDate,
            ...(flags.chargebackDays ? { fraud: { chargebackDays: flags.chargebackDays } } : {}),
          },
          chargebacks: flags.chargebacks,
          // Wall-clock time only names the run; the traffic itself stays a pure function of the seed.
          idPrefix: flags.idPrefix ?? `drive-${flags.seed}-${Date.now().toString(36)}`,
          reportIntervalMs: flags.reportInterval * 1000,
          requestTimeoutMs: flags.timeout,
          every: flags.every,
          nightShare: flags.nightShare,
        },
        io,
      );
      const c = summary.chargebacks;
      io.stdout.write(
        flags.json
          ? JSON.stringify(summary) + '\n'
          : formatSummary(summary) + (c ? `chargebacks: sent ${c.sent}, recorded ${c.recorded}, rejected ${c.rejected}, not due yet ${c.pending}\n` : ''),
      );
      if (summary.succeeded === 0) {
        io.stderr.write('every request failed\n');
        exitCode = 1;
      }
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (e instanceof CliUsageError || e instanceof SimulationOptionsError) {
      io.stderr.write(`error: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      // System errors (ENOENT, EACCES...) are the user's to fix: the message says enough; anything else is a bug.
      const systemError = e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string';
      process.stderr.write(`${systemError ? `error: ${e.message}` : e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}

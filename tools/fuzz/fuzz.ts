#!/usr/bin/env node
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { machineInfo } from '../bench/machine-info';
import { apiKeyOption, engineUrlOption } from '../cli/engine-options';
import { processIo, type CliIo } from '../simulate/cli-io';
import { runCampaign, type CampaignReport } from './fuzz-campaign';

/** dist/tools/fuzz/fuzz.js → the repository (for the commit the report names). */
const REPO = path.resolve(__dirname, '..', '..', '..');

const count = (flag: string, max: number) => (raw: string) => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`${flag} must be an integer from 1 to ${max}`);
  return n;
};

const share = (raw: string) => {
  const n = Number(raw);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError('--anonymous-share must be from 0 to 1');
  return n;
};

interface Flags {
  url: string;
  apiKey?: string;
  requests: number;
  seed: number;
  concurrency: number;
  eventStore?: string;
  anonymousShare: number;
  out?: string;
}

function summary(report: CampaignReport): string {
  const lines = [
    `${report.requests} hostile requests over ${report.operations} operations in ${report.seconds.toFixed(1)} s (seed ${report.seed}, ${report.concurrency} clients)`,
    `statuses: ${Object.entries(report.statuses)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([s, n]) => `${s}: ${n}`)
      .join(', ')}`,
    `violations: ${report.violationCount}`,
  ];
  if (report.writes.checked) {
    const w = report.writes;
    const list = (r: Record<string, number>) => Object.entries(r).map(([t, n]) => `${t} ${n}`).join(', ') || 'none';
    lines.push(`event store: head ${w.headBefore} → ${w.headAfter}; appended ${list(w.appendedByType)}`);
    lines.push(`  by accepted (2xx) requests: ${list(w.byAcceptedRequests)}; by refused requests: ${list(w.byRefusedRequests)}; background: ${list(w.background)}`);
  } else lines.push(`writes not checked: ${report.writes.why}`);
  for (const v of report.violations.slice(0, 20)) lines.push(`- ${v.problems.join('; ')}\n    ${v.request}\n    → ${v.status} ${v.answer.slice(0, 200)}`);
  return lines.join('\n');
}

/**
 * `npm run fuzz -- --url … --api-key …`: a fuzz campaign against a running engine (the generators of the hostile-input
 * e2e properties, for longer). Reports status counts per route, every contract violation with the request that caused
 * it, and, with --event-store, everything appended during the run. Exit 0 when nothing was violated, 1 otherwise, 2
 * on usage.
 */
export async function runFuzzCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = new Command('fuzz')
    .description('hostile requests on every operation of a running engine; checks the error contract and that refusals write nothing')
    .addOption(engineUrlOption())
    .addOption(apiKeyOption('an admin key; the campaign makes its own keys with it'))
    .option('--requests <n>', 'hostile requests to send', count('--requests', 10_000_000), 10_000)
    .option('--seed <n>', 'seed of the generators (the same seed sends the same requests)', count('--seed', 2 ** 31), 20_261_204)
    .option('--concurrency <n>', 'clients, each sending one request at a time with its own key', count('--concurrency', 256), 4)
    .option('--event-store <file>', "the engine's SQLite event store (e.g. data/events.sqlite): every event appended during the run is attributed")
    .option('--anonymous-share <x>', 'share of requests sent without a credential (each must be a 401)', share, 0.05)
    .option('--out <file>', 'write the full report as JSON')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  try {
    program.parse(argv, { from: 'user' });
  } catch (e) {
    return (e as { exitCode?: number }).exitCode === 0 ? 0 : 2;
  }
  const flags = program.opts<Flags>();
  const apiKey = flags.apiKey;
  if (!apiKey) {
    io.stderr.write('fuzz: an admin key is needed: --api-key or VERDICT_API_KEY\n');
    return 2;
  }
  let last = 0;
  const report = await runCampaign({
    url: flags.url.replace(/\/$/, ''),
    apiKey,
    requests: flags.requests,
    seed: flags.seed,
    concurrency: flags.concurrency,
    eventStore: flags.eventStore,
    anonymousShare: flags.anonymousShare,
    onProgress: (done) => {
      if (done - last >= 1000 || done === flags.requests) {
        last = done;
        io.stderr.write(`${done}/${flags.requests}\n`);
      }
    },
  });
  io.stdout.write(`${summary(report)}\n`);
  if (flags.out) {
    mkdirSync(path.dirname(path.resolve(flags.out)), { recursive: true });
    writeFileSync(flags.out, `${JSON.stringify({ ...report, machine: machineInfo(REPO) }, null, 2)}\n`);
  }
  return report.violationCount > 0 ? 1 : 0;
}

if (require.main === module) {
  runFuzzCli(process.argv.slice(2), processIo()).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`fuzz: ${(e as Error).stack ?? String(e)}\n`);
      process.exit(2);
    },
  );
}

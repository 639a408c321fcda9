#!/usr/bin/env node
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SingleBar } from 'cli-progress';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { machineInfo } from '../bench/machine-info';
import { runCrashCycles, type CrashTestSummary } from './crash-cycles';
import { launchEngine } from './engine-launcher';

const REPO = path.resolve(__dirname, '..', '..', '..');
const BUILT_ENGINE = path.join(REPO, 'dist', 'apps', 'engine', 'src', 'main.js');

const count = (flag: string, max: number) => (raw: string) => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`${flag} must be an integer from 1 to ${max}`);
  return n;
};

class UsageError extends Error {}

interface Flags {
  cycles: number;
  concurrency: number;
  maxAcks: number;
  seed: number;
  minutes?: number;
  dataDir?: string;
  out?: string;
  engine: string;
}

function report(summary: CrashTestSummary, flags: Flags, seconds: number): string {
  const lines = [
    `# kill -9 crash test`,
    '',
    `${summary.cycles} cycles (of ${flags.cycles} asked${flags.minutes ? `, within ${flags.minutes} min` : ''}) of SIGKILL under load (${flags.concurrency} clients, killed after 1–${flags.maxAcks} acknowledgements, seed ${flags.seed}), ${seconds.toFixed(0)} s.`,
    '',
    '| cycles | acknowledged | in doubt at a kill (recorded / not) | read-model rows | lost |',
    '| ---: | ---: | ---: | ---: | ---: |',
    `| ${summary.cycles} | ${summary.acknowledged} | ${summary.inDoubt} (${summary.inDoubtRecorded} / ${summary.inDoubt - summary.inDoubtRecorded}) | ${summary.readModelRows} | **${summary.lost}** |`,
  ];
  if (summary.problems.length > 0) lines.push('', ...summary.problems.slice(0, 50).map((p) => `- ${p}`));
  return `${lines.join('\n')}\n`;
}

/**
 * `npm run crash-test -- --cycles N`: kill -9 cycles of the built engine (npm run build) under load on one data
 * directory, verifying every acknowledged decision after each restart (docs/operations.md). Exit 0 when nothing was
 * lost, 1 when anything was, 2 on usage.
 */
async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('crash-test')
    .description('kill -9 cycles of the built engine under load; verifies every acknowledged decision')
    .option('--cycles <n>', 'kill -9 cycles', count('--cycles', 100_000), 10)
    .option('--concurrency <n>', 'clients posting decisions', count('--concurrency', 1024), 32)
    .option('--max-acks <n>', 'each cycle is killed after a random 1..n acknowledgements', count('--max-acks', 100_000), 200)
    .option('--seed <n>', 'seed of the kill points', count('--seed', 2 ** 31), 1)
    .option('--minutes <n>', 'start no cycle after this many minutes (the run then ends verified, with fewer cycles)', count('--minutes', 10_000))
    .option('--data-dir <dir>', 'an empty or new directory (default: a temporary one, removed after a clean run)')
    .option('--out <file>', 'also write the summary as <file>.json and <file>.md')
    .option('--engine <main.js>', 'the compiled engine', BUILT_ENGINE)
    .exitOverride();
  program.parse(argv, { from: 'user' });
  const flags = program.opts<Flags>();
  const dataDir = flags.dataDir ? path.resolve(flags.dataDir) : mkdtempSync(path.join(tmpdir(), 'verdict-crash-test-'));
  mkdirSync(dataDir, { recursive: true });
  if (readdirSync(dataDir).length > 0) throw new UsageError(`--data-dir ${dataDir} is not empty`);

  const bar = process.stderr.isTTY ? new SingleBar({ format: 'crash-test |{bar}| {value}/{total} cycles | {acks} acknowledged | lost {lost}', hideCursor: true }) : undefined;
  bar?.start(flags.cycles, 0, { acks: 0, lost: 0 });
  let acks = 0;
  let lost = 0;
  const started = Date.now();
  const summary = await runCrashCycles({
    cycles: flags.cycles,
    concurrency: flags.concurrency,
    maxAcksPerCycle: flags.maxAcks,
    seed: flags.seed,
    deadline: flags.minutes === undefined ? undefined : started + flags.minutes * 60_000,
    start: () => launchEngine({ main: path.resolve(flags.engine), dataDir }),
    onCycle: (c) => {
      acks += c.acknowledged;
      lost += c.lost;
      if (bar) bar.update(c.cycle, { acks, lost });
      else if (c.cycle % 10 === 0 || c.lost > 0) process.stderr.write(`crash-test: cycle ${c.cycle}/${flags.cycles}, ${acks} acknowledged, lost ${lost}\n`);
    },
  });
  bar?.stop();
  const seconds = (Date.now() - started) / 1000;
  const text = report(summary, flags, seconds);
  process.stdout.write(text);
  if (flags.out) {
    const out = path.resolve(flags.out);
    writeFileSync(`${out}.json`, `${JSON.stringify({ ...summary, problems: summary.problems.slice(0, 50), options: { ...flags, dataDir: undefined, engine: undefined }, seconds, machine: machineInfo(REPO) }, null, 2)}\n`);
    writeFileSync(`${out}.md`, text);
  }
  if (summary.lost === 0 && !flags.dataDir) rmSync(dataDir, { recursive: true, force: true });
  else if (summary.lost > 0) process.stderr.write(`crash-test: data directory kept at ${dataDir}\n`);
  return summary.lost === 0 ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      // Commander has already said what was wrong with the arguments.
      if (error instanceof CommanderError) process.exitCode = error.exitCode === 0 ? 0 : 2;
      else {
        process.stderr.write(`crash-test: ${(error as Error).message}\n`);
        process.exitCode = error instanceof UsageError ? 2 : 1;
      }
    },
  );
}

/**
 * `npm run bench:sqlite`: the two SQLite bindings that run on Node 22 and 24 (better-sqlite3 13 and node:sqlite),
 * measured on the event store's group-commit write pattern, and checked for what synchronous=FULL must mean: at
 * least one fsync per COMMIT (counted with strace when it is installed). Writes bench/results/sqlite-drivers-node<major>.{json,md}.
 * Method and figures: docs/benchmarks.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '@verdict/config';
import { machineInfo } from '../machine-info';
import { runGroupCommitWorkload, type WorkloadOptions, type WorkloadResult } from './group-commit-workload';
import { DRIVER_NAMES, type DriverName } from './sqlite-driver';
import { countFsyncs, straceAvailable } from './strace-fsyncs';

const THROUGHPUT_RUNS: readonly { batchSize: number; commits: number }[] = [
  { batchSize: 1, commits: 2000 },
  { batchSize: 16, commits: 1000 },
  { batchSize: 128, commits: 250 },
];
const REPEATS = 5;
const FSYNC_COMMITS = 200;

export interface FsyncCount {
  readonly driver: DriverName;
  readonly synchronous: 'FULL' | 'NORMAL';
  readonly commits: number;
  readonly fsyncCalls: number;
  readonly perCommit: number;
}

/** Runs one workload in a fresh child process and returns its result (and its fsync count, when traced). */
function runChild(options: WorkloadOptions, traced = false): WorkloadResult & { fsyncCalls?: number } {
  const args = [__filename, '--child', JSON.stringify(options)];
  const env = { ...process.env, NODE_NO_WARNINGS: '1' };
  if (traced) {
    const run = countFsyncs(process.execPath, args, env);
    if (run.status !== 0) throw new Error(`workload failed under strace: ${run.stderr}`);
    return { ...(JSON.parse(run.stdout) as WorkloadResult), fsyncCalls: run.fsyncCalls };
  }
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', env });
  if (run.status !== 0) throw new Error(`workload failed: ${run.stderr || run.error?.message}`);
  return JSON.parse(run.stdout) as WorkloadResult;
}

function main(): void {
  const root = repoRoot();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'verdict-sqlite-drivers-'));
  const say = (line: string): void => void process.stdout.write(`${line}\n`);
  try {
    // Interleaved (each repeat runs every binding in turn), so drift in the disk's state hits both alike.
    const runs = new Map<string, WorkloadResult[]>();
    for (const { batchSize, commits } of THROUGHPUT_RUNS) {
      for (let i = 0; i < REPEATS; i++) {
        for (const driver of i % 2 === 0 ? DRIVER_NAMES : [...DRIVER_NAMES].reverse()) {
          const file = path.join(dir, `${driver.replace(':', '-')}-${batchSize}-${i}.sqlite`);
          const result = runChild({ driver, path: file, synchronous: 'FULL', batchSize, commits });
          runs.set(`${driver}/${batchSize}`, [...(runs.get(`${driver}/${batchSize}`) ?? []), result]);
        }
      }
    }
    const throughput: (WorkloadResult & { repeats: number[] })[] = [];
    for (const driver of DRIVER_NAMES) {
      for (const { batchSize } of THROUGHPUT_RUNS) {
        const results = runs.get(`${driver}/${batchSize}`) ?? [];
        const median = [...results].sort((a, b) => a.appendsPerSecond - b.appendsPerSecond)[Math.floor(results.length / 2)];
        throughput.push({ ...median, repeats: results.map((r) => r.appendsPerSecond) });
        say(`${driver} batch ${batchSize}: ${median.appendsPerSecond} appends/s (${median.commitsPerSecond} commits/s, commit p50 ${median.commitMs.p50} ms, p99 ${median.commitMs.p99} ms)`);
      }
    }
    const fsyncs: FsyncCount[] = [];
    if (straceAvailable()) {
      for (const driver of DRIVER_NAMES) {
        for (const synchronous of ['FULL', 'NORMAL'] as const) {
          const file = path.join(dir, `fsync-${driver.replace(':', '-')}-${synchronous}.sqlite`);
          const calls = runChild({ driver, path: file, synchronous, batchSize: 16, commits: FSYNC_COMMITS }, true).fsyncCalls ?? 0;
          fsyncs.push({ driver, synchronous, commits: FSYNC_COMMITS, fsyncCalls: calls, perCommit: Math.round((calls / FSYNC_COMMITS) * 100) / 100 });
          say(`${driver} synchronous=${synchronous}: ${calls} fsync/fdatasync calls for ${FSYNC_COMMITS} commits`);
        }
      }
    } else {
      say('strace is not installed: fsync counts skipped');
    }
    const report = { machine: machineInfo(root), repeats: REPEATS, throughput, fsyncs };
    const outDir = path.join(root, 'bench/results');
    mkdirSync(outDir, { recursive: true });
    const base = path.join(outDir, `sqlite-drivers-node${process.versions.node.split('.')[0]}`);
    writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(`${base}.md`, markdown(report.machine, throughput, fsyncs));
    say(`wrote ${path.relative(root, base)}.json and .md`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function markdown(machine: ReturnType<typeof machineInfo>, throughput: (WorkloadResult & { repeats: number[] })[], fsyncs: FsyncCount[]): string {
  const lines = [
    `# SQLite bindings on the event store's write pattern (Node ${machine.node})`,
    '',
    `${machine.nproc} vCPUs (${machine.cpuModel}), ${machine.platform}, ${machine.date}, commit ${machine.gitCommit ?? 'n/a'}.`,
    'WAL, synchronous=FULL, ~2 KB events, one transaction per batch; median of ' + `${REPEATS} runs, each in a fresh process and file.`,
    '',
    '| binding (SQLite) | appends per COMMIT | appends/s | commits/s | COMMIT p50 ms | COMMIT p99 ms | runs (appends/s) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...throughput.map(
      (r) =>
        `| ${r.driver} (${r.sqliteVersion}) | ${r.batchSize} | ${r.appendsPerSecond} | ${r.commitsPerSecond} | ${r.commitMs.p50} | ${r.commitMs.p99} | ${r.repeats.join(', ')} |`,
    ),
    '',
  ];
  if (fsyncs.length > 0) {
    lines.push(
      `fsync/fdatasync calls counted with \`strace -f -c\` over ${FSYNC_COMMITS} commits of 16 appends:`,
      '',
      '| binding | synchronous | fsync calls | per COMMIT |',
      '| --- | --- | ---: | ---: |',
      ...fsyncs.map((f) => `| ${f.driver} | ${f.synchronous} | ${f.fsyncCalls} | ${f.perCommit} |`),
      '',
    );
  }
  return `${lines.join('\n')}`;
}

if (process.argv[2] === '--child') {
  process.stdout.write(JSON.stringify(runGroupCommitWorkload(JSON.parse(process.argv[3]) as WorkloadOptions)));
} else if (require.main === module) {
  main();
}

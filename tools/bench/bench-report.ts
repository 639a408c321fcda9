import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BenchChallenger } from './bench-challenger';
import type { BenchMode } from './bench-options';
import type { DurabilityReport } from './durability-check';
import type { LoadResult } from './load-run';
import type { ProfileSummary } from './cpu-profile-summary';
import { threadMicrosPerDecision, type CpuShare, type ThreadCores } from './cpu-usage';
import type { MachineInfo } from './machine-info';
import type { EventLoopDelay, HistogramMean } from './server-metrics';
import { transactionIdsNote, type TransactionIds } from './request-pool';
import { tailStagesTable } from './tail-stages';
import { eventLoopLine } from './bench-console';

export const TARGETS = { decisionsPerSecond: 3000, batchDecisionsPerSecond: 20000, ratioToBaseline: 0.6 } as const;

export interface TargetRun {
  readonly target: 'engine' | 'baseline';
  readonly description: string;
  readonly warmup: LoadResult;
  readonly measured: LoadResult;
  readonly stop: { readonly code: number | null; readonly signal: string | null; readonly graceful: boolean };
  readonly logFile: string;
  /** Mean of the server's `*_seconds` histograms (from /metrics) over warm-up and run; absent for the baseline. */
  readonly serverTimings?: Readonly<Record<string, HistogramMean>>;
  /** The main thread's event-loop delay over the measured run (from /metrics); absent for the baseline. */
  readonly eventLoopDelay?: EventLoopDelay;
  /** GET /health/ready right after the load (the engine reports projection lag there). */
  readonly readinessAtEnd: unknown;
  /** Average cores used during the measured run (Linux only). */
  readonly cpu?: CpuShare;
  /** With --profile: one summary per thread of the server (threadId 0 = main). */
  readonly cpuProfiles?: readonly (ProfileSummary & { readonly threadId: number })[];
}

export interface BenchReport {
  readonly machine: MachineInfo;
  readonly settings: {
    readonly durationSeconds: number;
    readonly warmupSeconds: number;
    readonly connections: number;
    readonly poolSize: number;
    readonly seed: number;
    /** Absent in reports written before --random-ids: numbered. */
    readonly transactionIds?: TransactionIds;
    readonly model: string;
    readonly profile: boolean;
    /** Environment added to both targets' embedded defaults. */
    readonly env: Readonly<Record<string, string>>;
    /** Node options added to the engine's process. */
    readonly engineNodeArgs: readonly string[];
    /** A challenger deployed beside the engine's champion for the run (--challenger). */
    readonly challenger?: BenchChallenger;
    readonly mode: BenchMode;
    /** Where the engine kept its stores: SQLite files (the embedded default) or PostgreSQL (--postgres). */
    readonly store: 'sqlite' | 'postgres';
  };
  readonly engine?: TargetRun & { readonly durability: DurabilityReport };
  readonly baseline?: TargetRun;
  /** engine decisions/s ÷ baseline decisions/s */
  readonly ratio?: number;
  readonly targets: typeof TARGETS & { readonly throughputMet?: boolean; readonly ratioMet?: boolean };
}

/** LoadResult without the id set (it is large and only needed for the durability check). */
function slim(r: LoadResult): Omit<LoadResult, 'createdIds'> {
  const { createdIds: _ids, ...rest } = r;
  return rest;
}

function toJson(report: BenchReport): string {
  const runs = (run: TargetRun | undefined) => run && { ...run, warmup: slim(run.warmup), measured: slim(run.measured) };
  return JSON.stringify({ ...report, engine: runs(report.engine), baseline: runs(report.baseline) }, null, 2) + '\n';
}

const f0 = (n: number) => Math.round(n).toLocaleString('en-US');
const f1 = (n: number) => n.toFixed(1);

function statuses(r: LoadResult): string {
  const parts = Object.entries(r.statusCounts).map(([code, n]) => `${code}: ${f0(n)}`);
  return parts.length ? parts.join(', ') : 'none';
}

function row(name: string, r: LoadResult | undefined, withP999: boolean): string {
  if (!r) return `| ${name} | — | — | — |${withP999 ? ' — |' : ''} — | — | — |`;
  const p999 = withP999 ? ` ${f1(r.latencyMs.p999 ?? Number.NaN)} |` : '';
  return `| ${name} | **${f0(r.decisionsPerSecond)}** | ${f1(r.latencyMs.p50)} | ${f1(r.latencyMs.p99)} |${p999} ${f1(r.latencyMs.max)} | ${statuses(r)} | ${r.errors} / ${r.timeouts} |`;
}

/** Issue 9's tail target at 1,000 decisions/s, against which each second of an open-loop run is counted. */
const TAIL_TARGET_MS = 10;

/**
 * The server's threads: cores each used, its CPU per decision at the run's rate (what a change moves), the time it
 * was ready to run but waited for a core, and how often it slept and was preempted (what a busier machine costs it).
 */
export function threadTable(target: string, threads: readonly ThreadCores[], decisionsPerSecond: number): string {
  const or = (v: number | undefined) => (v === undefined ? '—' : String(v));
  return [
    `Threads of the ${target}'s process during the measured run (from /proc; threads of one name summed):`,
    '',
    '| thread | cores | µs of CPU a decision | waiting for a core (cores) | sleeps a second | preemptions a second |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...threadMicrosPerDecision(threads, decisionsPerSecond).map(
      (t) => `| ${t.name} | ${t.cores} | ${or(t.micros)} | ${or(t.waitingCores)} | ${or(t.sleepsPerSecond)} | ${or(t.preemptionsPerSecond)} |`,
    ),
  ].join('\n');
}

/**
 * Where an open-loop run's tail sits: each second's p99, the worst second, and how many seconds missed the target. A
 * second without a 2xx answer (—) is the worst kind and counts as missed.
 */
export function tailBySecond(target: string, bySecond: readonly (number | null)[]): string {
  const ms = (p99: number | null): number => p99 ?? Number.POSITIVE_INFINITY;
  const worst = bySecond.reduce<number>((w, p99, i) => (ms(p99) > ms(bySecond[w] ?? null) ? i : w), 0);
  const over = bySecond.filter((p99) => ms(p99) > TAIL_TARGET_MS).length;
  const shown = (p99: number | null): string => (p99 === null ? '—' : f1(p99));
  const worstMs = bySecond[worst] ?? null;
  return (
    `p99 of each second of the measured run, ${target} (ms, by scheduled send time): ${bySecond.map(shown).join(' ')}. ` +
    `Worst: second ${worst + 1} (${worstMs === null ? 'no 2xx answer' : `${f1(worstMs)} ms`}); ${over} of ${bySecond.length} seconds over ${TAIL_TARGET_MS} ms.`
  );
}

/** What load was offered, in a sentence. */
function loadSentence(s: BenchReport['settings']): string {
  const bodies = `every decision a distinct transaction (bodies from a pool of ${f0(s.poolSize)} simulated transactions, seed ${s.seed}${transactionIdsNote(s.transactionIds)})`;
  const timing = `for ${s.durationSeconds} s after a ${s.warmupSeconds} s warm-up`;
  if (s.mode.kind === 'rate') {
    return (
      `POST /v1/decisions ${timing}, open loop: ${f0(s.mode.rate)} requests/s on a fixed schedule over at most ${s.connections} keep-alive ` +
      `connections, each latency measured from the request's scheduled send time (so a stall counts for every request due during it), ${bodies}.`
    );
  }
  if (s.mode.kind === 'batch') {
    return `POST /v1/decisions/batch ${timing}, ${s.connections} connections, one batch of ${f0(s.mode.size)} decisions in flight per connection, ${bodies}. Decisions/s counts items answered 201 or 200; latency is a whole batch's.`;
  }
  return `POST /v1/decisions ${timing}, ${s.connections} connections, one request in flight per connection, ${bodies}.`;
}

function renderMarkdown(report: BenchReport): string {
  const { machine: m, settings: s, engine, baseline } = report;
  const withP999 = s.mode.kind === 'rate';
  const lines = [
    '# Verdict benchmark — latest run',
    '',
    `${m.date} · commit ${m.gitCommit ?? 'n/a'} · ${m.nproc} CPUs (${m.cpuModel}) · ${m.totalMemoryGiB} GiB · ${m.platform} · Node ${m.node}`,
    '',
    `${loadSentence(s)} Model: \`${s.model}\`. The load generator runs on the same machine.` +
      (s.profile ? ' The engine ran with `--cpu-prof` (slower than normal).' : '') +
      (Object.keys(s.env).length ? ` Extra environment: \`${Object.entries(s.env).map(([k, v]) => `${k}=${v}`).join(' ')}\`.` : '') +
      (s.engineNodeArgs.length ? ` Engine started with \`node ${s.engineNodeArgs.join(' ')}\`.` : '') +
      (s.challenger
        ? ` The engine ran with a ${s.challenger.mode === 'shadow' ? 'shadow challenger scoring every request' : `canary challenger deciding ${s.challenger.trafficPercent} % of cards`} (the champion's bytes under another version).`
        : ''),
    '',
    withP999 ? '| target | decisions/s | p50 ms | p99 ms | p99.9 ms | max ms | responses | errors / timeouts |' : '| target | decisions/s | p50 ms | p99 ms | max ms | responses | errors / timeouts |',
    withP999 ? '| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |' : '| --- | ---: | ---: | ---: | ---: | --- | ---: |',
    row(`engine (${s.store === 'postgres' ? 'PostgreSQL' : 'embedded SQLite'}, inline projections)`, engine?.measured, withP999),
    row('bare baseline (Fastify + same model, records nothing)', baseline?.measured, withP999),
    '',
  ];
  if (report.ratio !== undefined) lines.push(`Engine ÷ baseline: **${report.ratio.toFixed(2)}×**`, '');
  for (const run of [engine, baseline]) {
    const bySecond = run?.measured.p99BySecond;
    if (run && bySecond && bySecond.length > 0) lines.push(tailBySecond(run.target, bySecond), '');
    const stages = run?.measured.tailStages;
    if (run && stages) lines.push(tailStagesTable(run.target, stages), '');
  }
  const cpuRuns = [engine, baseline].filter((r): r is TargetRun => r?.cpu !== undefined);
  if (cpuRuns.length > 0) {
    lines.push(
      'Average cores used during each measured run (from /proc; "other" is everything else on the machine, which skews the numbers when it is not ~0):',
      '',
      '| target | server | load generator | other processes |',
      '| --- | ---: | ---: | ---: |',
      ...cpuRuns.map((r) => `| ${r.target} | ${r.cpu!.serverCores}${r.cpu!.databaseCores === undefined ? '' : ` (+ PostgreSQL ${r.cpu!.databaseCores})`} | ${r.cpu!.loadGeneratorCores} | ${r.cpu!.otherCores} |`),
      '',
    );
    for (const r of cpuRuns) if (r.cpu!.serverThreadCores) lines.push(threadTable(r.target, r.cpu!.serverThreadCores, r.measured.decisionsPerSecond), '');
  }
  const t = report.targets;
  const met = (v: boolean | undefined) => (v === undefined ? 'not measured' : v ? 'met' : 'NOT met');
  if (s.mode.kind === 'closed') {
    lines.push(`Targets: ≥ ${f0(t.decisionsPerSecond)} decisions/s — ${met(t.throughputMet)}; ≥ ${t.ratioToBaseline}× baseline — ${met(t.ratioMet)}.`, '');
  } else if (s.mode.kind === 'batch') {
    lines.push(`Target: ≥ ${f0(t.batchDecisionsPerSecond)} durable decisions/s in batches — ${met(t.throughputMet)}.`, '');
  }
  if (engine) {
    const d = engine.durability;
    lines.push(
      '## Durability',
      '',
      `${d.verdict}.`,
      '',
      `Counted over warm-up and measured run: ${f0(d.created201)} answers 201, ${f0(d.decisionMadeEvents)} DecisionMade events ` +
        `in the ${s.store === 'postgres' ? 'PostgreSQL' : 'SQLite'} event store, ${d.acknowledgedButMissing} acknowledged but missing, ${d.unanswered} requests cut off unanswered ` +
        `when the load stopped. Engine stopped ${engine.stop.graceful ? 'cleanly' : 'by SIGKILL'} (code ${engine.stop.code}, signal ${engine.stop.signal}).`,
      '',
    );
    if (engine.serverTimings && Object.keys(engine.serverTimings).length > 0) {
      lines.push(
        'Engine-side means over warm-up and run (from its /metrics): ' +
          Object.entries(engine.serverTimings)
            .map(([k, v]) => `\`${k}\` ${v.meanMs} ms`)
            .join(', ') +
          '.',
        '',
      );
    }
    if (engine.eventLoopDelay) lines.push(`The engine's ${eventLoopLine(engine.eventLoopDelay)}.`, '');
    const [main, ...workers] = engine.cpuProfiles ?? [];
    if (main) {
      lines.push(
        '## Where the engine spends its time',
        '',
        `Main thread, \`${main.file}\` (${main.sampledSeconds.toFixed(1)} s of wall-clock samples, start-up included):`,
        '',
        '| activity (innermost matching frame of each sample) | share |',
        '| --- | ---: |',
        ...main.byActivity.map((a) => `| ${a.name} | ${a.percent.toFixed(1)}% |`),
        '',
        '| component | self time |',
        '| --- | ---: |',
        ...main.byComponent.slice(0, 12).map((c) => `| ${c.name} | ${c.percent.toFixed(1)}% |`),
        '',
        '| hottest function | self time |',
        '| --- | ---: |',
        ...main.topFunctions.slice(0, 12).map((f) => `| \`${f.name}\` | ${f.percent.toFixed(1)}% |`),
        '',
      );
    }
    for (const w of workers) {
      const idle = w.byActivity.find((a) => a.name === 'idle')?.percent ?? 0;
      lines.push(
        `Worker thread ${w.threadId} (\`${w.file}\`): ${(100 - idle).toFixed(1)}% of samples not idle; hottest: ` +
          w.topFunctions
            .filter((f) => f.name !== '(idle)')
            .slice(0, 3)
            .map((f) => `\`${f.name}\` ${f.percent.toFixed(1)}%`)
            .join(', ') +
          '.',
        '',
      );
    }
  }
  return lines.join('\n');
}

/** `latest`, `latest-batch` or `latest-rate`: each kind of run keeps its own latest result. */
function reportName(mode: BenchMode): string {
  return mode.kind === 'closed' ? 'latest' : `latest-${mode.kind}`;
}

export function writeReport(dir: string, report: BenchReport): { json: string; markdown: string } {
  mkdirSync(dir, { recursive: true });
  const json = path.join(dir, `${reportName(report.settings.mode)}.json`);
  const markdown = path.join(dir, `${reportName(report.settings.mode)}.md`);
  writeFileSync(json, toJson(report));
  writeFileSync(markdown, renderMarkdown(report));
  return { json, markdown };
}

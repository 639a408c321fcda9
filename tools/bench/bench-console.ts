import type { BenchOptions } from './bench-options';
import { describeThreads, type CpuShare } from './cpu-usage';
import type { LoadResult } from './load-run';
import type { EventLoopDelay } from './server-metrics';
import { tailStagesLine } from './tail-stages';

/** Above this many cores used by other processes, a run is flagged as skewed. */
const NOISY_OTHER_CORES = 0.2;

/** The load offered, as the console names it. */
export function modeLine(options: BenchOptions): string {
  const { mode, connections } = options;
  if (mode.kind === 'rate') return `open loop at ${mode.rate} requests/s over at most ${connections} connections`;
  if (mode.kind === 'batch') return `batches of ${mode.size} decisions, ${connections} connections`;
  return `${connections} connections`;
}

/** One run's throughput, latencies and answers, with its throughput second by second. */
export function describeLoad(label: string, r: LoadResult): string {
  const codes = Object.entries(r.statusCounts).map(([c, n]) => `${c}×${n}`).join(' ');
  return (
    `${label}: ${Math.round(r.decisionsPerSecond)} decisions/s, p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms` +
    (r.latencyMs.p999 === undefined ? '' : `, p99.9 ${r.latencyMs.p999} ms`) +
    `, max ${r.latencyMs.max} ms [${codes || 'no responses'}; errors ${r.errors}, timeouts ${r.timeouts}, unanswered ${r.unanswered}]` +
    (r.perSecond.length > 1 ? `\n    per second: ${r.perSecond.join(' ')}` : '') +
    (r.tailStages ? `\n    ${tailStagesLine(r.tailStages)}` : '')
  );
}

/** Where the machine's cores went during the measured run, with a warning when other processes skewed it. */
export function cpuLines(cpu: CpuShare, decisionsPerSecond: number): string[] {
  const db = cpu.databaseCores === undefined ? '' : `, PostgreSQL ${cpu.databaseCores}`;
  const lines = [`cores used: server ${cpu.serverCores}${db}, load generator ${cpu.loadGeneratorCores}, other processes ${cpu.otherCores}`];
  if (cpu.otherCores > NOISY_OTHER_CORES) lines.push(`WARNING: other processes took ${cpu.otherCores} cores during this run; its numbers are skewed`);
  if (cpu.serverThreadCores) {
    lines.push(`server threads, cores (µs of CPU a decision; cores' worth of waiting for a core; preemptions a second): ${describeThreads(cpu.serverThreadCores, decisionsPerSecond)}`);
  }
  return lines;
}

/** The main thread's event-loop delay over the measured run: how long anything newly arrived waited behind its work. */
export function eventLoopLine(d: EventLoopDelay): string {
  return `main thread's event-loop delay over the measured run (a timer's lateness, sampled every 10 ms): p50 ${d.p50Ms} ms, p99 ${d.p99Ms} ms, max ${d.maxMs} ms`;
}

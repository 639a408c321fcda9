import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** CPU time counters at one instant (Linux /proc). Differences between two snapshots give cores used. */
export interface CpuSnapshot {
  readonly at: number;
  /** Busy seconds of the whole machine, all CPUs summed (everything but idle and iowait). */
  readonly machineBusy: number;
  /** CPU seconds of the server process (user + system). */
  readonly server: number;
  /** CPU seconds of this process: the load generator. */
  readonly loadGenerator: number;
  /** CPU seconds of the database server's processes, when the engine runs on one here (bench --postgres). */
  readonly database?: number;
  /** Each thread of the server by thread id: its name and its CPU seconds so far. */
  readonly serverThreadSeconds?: ThreadSeconds;
}

/**
 * A process's threads at one instant, by thread id (a name can be reused: a restarted worker, V8's four workers): CPU
 * seconds so far, and seconds spent runnable but waiting for a core (absent where the kernel keeps no schedstat).
 */
export type ThreadSeconds = Readonly<Record<string, { readonly name: string; readonly seconds: number; readonly waiting?: number }>>;

/**
 * The server's threads of one name: the cores they used on average and, where known, the cores' worth of time they
 * were ready to run but waited for one. What is left of a thread's wall time it was blocked: waiting for work or for
 * an answer.
 */
export interface ThreadCores {
  readonly name: string;
  readonly cores: number;
  readonly waitingCores?: number;
}

/** Average cores used over an interval: what the server got, what the load generator took, what else ran. */
export interface CpuShare {
  readonly serverCores: number;
  readonly loadGeneratorCores: number;
  /** The database server's processes (PostgreSQL's, with --postgres): part of what is measured. */
  readonly databaseCores?: number;
  /** Other processes on the machine (e.g. a build or tests running beside the bench): they skew the numbers. */
  readonly otherCores: number;
  readonly machineBusyCores: number;
  /**
   * The server's threads by name, busiest first, those under 0.005 of a core left out. Names are Node's from version
   * 24 (MainThread, V8Worker, each worker's `name`); on Node 22 nearly every thread is called "node".
   */
  readonly serverThreadCores?: readonly ThreadCores[];
}

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100; // USER_HZ on every mainstream Linux build
    }
  }
  return ticksPerSecond;
}

function machineBusySeconds(): number {
  const [cpu] = readFileSync('/proc/stat', 'utf8').split('\n');
  // cpu user nice system idle iowait irq softirq steal ...
  const t = cpu.trim().split(/\s+/).slice(1).map(Number);
  const busy = t.reduce((a, b) => a + b, 0) - (t[3] ?? 0) - (t[4] ?? 0);
  return busy / clockTicks();
}

/** The command or thread name of a /proc stat line: between its first "(" and last ")" (a name may hold either). */
function statName(stat: string): string {
  return stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
}

/** Fields 14 and 15 (utime, stime) of a /proc stat line, in seconds. */
function statSeconds(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clockTicks();
}

function processSeconds(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // the process has exited; the caller reports that
  }
  return statSeconds(stat);
}

/** CPU seconds of each of a process's threads, by thread id; undefined once the process has exited. */
function threadSeconds(pid: number): ThreadSeconds | undefined {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  const threads: Record<string, { name: string; seconds: number; waiting?: number }> = {};
  for (const task of tasks) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
      const waiting = runQueueSeconds(`/proc/${pid}/task/${task}/schedstat`);
      threads[task] = { name: statName(stat), seconds: statSeconds(stat), ...(waiting === undefined ? {} : { waiting }) };
    } catch {
      continue; // the thread ended meanwhile
    }
  }
  return threads;
}

/** The second field of a schedstat file: nanoseconds spent runnable on a run queue, waiting for a core. */
function runQueueSeconds(file: string): number | undefined {
  try {
    const waited = Number(readFileSync(file, 'utf8').split(' ')[1]);
    return Number.isFinite(waited) ? waited / 1e9 : undefined;
  } catch {
    return undefined; // a kernel without schedstat, or the thread ended
  }
}

/**
 * CPU seconds of every process named `command` (PostgreSQL's server and its backends are all "postgres"). A backend
 * that exits between two snapshots takes its seconds with it; the engine's connections live through a run.
 */
function commandSeconds(command: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    if (statName(stat) !== command) continue;
    total += statSeconds(stat);
  }
  return total;
}

/**
 * undefined where /proc is not available (not Linux): the report then omits CPU shares. `databaseCommand` names the
 * database server's processes to count apart (with --postgres: "postgres").
 */
export function cpuSnapshot(serverPid: number | undefined, databaseCommand?: string): CpuSnapshot | undefined {
  if (process.platform !== 'linux' || serverPid === undefined) return undefined;
  const server = processSeconds(serverPid);
  if (server === undefined) return undefined;
  const own = process.cpuUsage();
  const serverThreadSeconds = threadSeconds(serverPid);
  return {
    at: performance.now(),
    machineBusy: machineBusySeconds(),
    server,
    loadGenerator: (own.user + own.system) / 1e6,
    ...(databaseCommand === undefined ? {} : { database: commandSeconds(databaseCommand) }),
    ...(serverThreadSeconds === undefined ? {} : { serverThreadSeconds }),
  };
}

export function cpuShare(from: CpuSnapshot | undefined, to: CpuSnapshot | undefined): CpuShare | undefined {
  if (!from || !to) return undefined;
  const wall = (to.at - from.at) / 1000;
  if (wall <= 0) return undefined;
  const r = (x: number) => Math.round((x / wall) * 100) / 100;
  const server = to.server - from.server;
  const gen = to.loadGenerator - from.loadGenerator;
  const busy = to.machineBusy - from.machineBusy;
  const database = from.database === undefined || to.database === undefined ? undefined : Math.max(0, to.database - from.database);
  return {
    serverCores: r(server),
    loadGeneratorCores: r(gen),
    ...(database === undefined ? {} : { databaseCores: r(database) }),
    otherCores: r(Math.max(0, busy - server - gen - (database ?? 0))),
    machineBusyCores: r(busy),
    ...(from.serverThreadSeconds && to.serverThreadSeconds
      ? { serverThreadCores: threadCores(from.serverThreadSeconds, to.serverThreadSeconds, wall) }
      : {}),
  };
}

/**
 * Each thread's seconds over the interval, by thread id (one that started during it counts from zero; one that ended
 * is not counted), summed by name. Three decimals: a thread's CPU per decision is read from them.
 */
function threadCores(from: ThreadSeconds, to: ThreadSeconds, wall: number): ThreadCores[] {
  const byName = new Map<string, { seconds: number; waiting?: number }>();
  for (const [tid, { name, seconds, waiting }] of Object.entries(to)) {
    const sum = byName.get(name) ?? { seconds: 0, waiting: 0 };
    sum.seconds += Math.max(0, seconds - (from[tid]?.seconds ?? 0));
    // Run-queue time is reported only when every thread of the name has it at both ends.
    const before = from[tid] ? from[tid].waiting : 0;
    sum.waiting = waiting === undefined || before === undefined || sum.waiting === undefined ? undefined : sum.waiting + Math.max(0, waiting - before);
    byName.set(name, sum);
  }
  const cores = (seconds: number) => Math.round((seconds / wall) * 1000) / 1000;
  return [...byName]
    .map(([name, { seconds, waiting }]) => ({ name, cores: cores(seconds), ...(waiting === undefined ? {} : { waitingCores: cores(waiting) }) }))
    .filter((t) => t.cores >= 0.005)
    .sort((a, b) => b.cores - a.cores || a.name.localeCompare(b.name));
}

/** Each thread's CPU a decision at the run's rate (its cores ÷ decisions a second); none without a rate. */
export function threadMicrosPerDecision(threads: readonly ThreadCores[], decisionsPerSecond: number): (ThreadCores & { micros?: number })[] {
  return threads.map((t) => (decisionsPerSecond > 0 ? { ...t, micros: Math.round((t.cores / decisionsPerSecond) * 1e6) } : { ...t }));
}

/**
 * The console's line: `MainThread 0.719 (241; 0.17 waiting), projections 0.368 (124; 0.2 waiting), …`: µs of CPU a
 * decision, and the cores' worth of time spent waiting for a core, in brackets.
 */
export function describeThreads(threads: readonly ThreadCores[], decisionsPerSecond: number): string {
  return threadMicrosPerDecision(threads, decisionsPerSecond)
    .map((t) => `${t.name} ${t.cores} (${t.micros ?? '—'}${t.waitingCores === undefined ? '' : `; ${t.waitingCores} waiting`})`)
    .join(', ');
}

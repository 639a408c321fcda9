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
  /** CPU seconds of the server's threads by name (threads of one name summed: V8's workers, libuv's pool). */
  readonly serverThreads?: Readonly<Record<string, number>>;
}

/** One name's threads of the server, and the cores they used on average. */
export interface ThreadShare {
  readonly name: string;
  readonly cores: number;
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
   * The server's threads by name, busiest first (those under 0.005 of a core left out). A thread sets the pace when it
   * is busy while the machine is not: the main thread, usually, in a closed loop.
   */
  readonly serverThreads?: readonly ThreadShare[];
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

/** CPU seconds of each of a process's threads, summed by thread name; undefined once the process has exited. */
function threadSeconds(pid: number): Record<string, number> | undefined {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  const byName: Record<string, number> = {};
  for (const task of tasks) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      byName[name] = (byName[name] ?? 0) + statSeconds(stat);
    } catch {
      continue; // the thread ended meanwhile
    }
  }
  return byName;
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
    if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== command) continue;
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
  const serverThreads = threadSeconds(serverPid);
  return {
    at: performance.now(),
    machineBusy: machineBusySeconds(),
    server,
    loadGenerator: (own.user + own.system) / 1e6,
    ...(databaseCommand === undefined ? {} : { database: commandSeconds(databaseCommand) }),
    ...(serverThreads === undefined ? {} : { serverThreads }),
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
    ...(from.serverThreads && to.serverThreads ? { serverThreads: threadShares(from.serverThreads, to.serverThreads, wall) } : {}),
  };
}

/** Threads that started during the interval count from zero; those that ended take their seconds with them. */
function threadShares(from: Readonly<Record<string, number>>, to: Readonly<Record<string, number>>, wall: number): ThreadShare[] {
  return Object.entries(to)
    .map(([name, seconds]) => ({ name, cores: Math.round((Math.max(0, seconds - (from[name] ?? 0)) / wall) * 1000) / 1000 }))
    .filter((t) => t.cores >= 0.005)
    .sort((a, b) => b.cores - a.cores || a.name.localeCompare(b.name));
}

/** Microseconds of CPU a decision each thread spent, at the run's rate (the thread's cores ÷ decisions a second). */
export function threadMicrosPerDecision(threads: readonly ThreadShare[], decisionsPerSecond: number): { name: string; cores: number; micros: number }[] {
  return threads.map((t) => ({ ...t, micros: decisionsPerSecond > 0 ? Math.round((t.cores / decisionsPerSecond) * 1e6) : 0 }));
}

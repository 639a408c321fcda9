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
  /** Each thread of the server by thread id: its name and its counters so far. */
  readonly serverThreads?: ThreadCountersById;
}

/** One thread at one instant: its name and cumulative counters (Linux /proc). */
export interface ThreadCounters {
  readonly name: string;
  /** CPU seconds (user + system). */
  readonly seconds: number;
  /** Seconds spent runnable on a run queue, waiting for a core (schedstat; absent where the kernel keeps none). */
  readonly waiting?: number;
  /** Times it went to sleep of its own accord: waiting for work, an answer, I/O (voluntary context switches). */
  readonly sleeps?: number;
  /** Times it was taken off a core while runnable (involuntary context switches). */
  readonly preemptions?: number;
}

/** A process's threads at one instant, by thread id (a name can be reused: a restarted worker, V8's four workers). */
export type ThreadCountersById = Readonly<Record<string, ThreadCounters>>;

/**
 * The server's threads of one name: the cores they used on average and, where known, the cores' worth of time they
 * were ready to run but waited for one, and how often a second they slept and were preempted. For the rest of its wall
 * time (1 − cores − waiting, per thread) a thread was asleep: waiting for work or for an answer.
 */
export interface ThreadCores {
  readonly name: string;
  readonly cores: number;
  readonly waitingCores?: number;
  readonly sleepsPerSecond?: number;
  readonly preemptionsPerSecond?: number;
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

/** Each of a process's threads' counters, by thread id; undefined once the process has exited. */
function threadCounters(pid: number): ThreadCountersById | undefined {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  const threads: Record<string, ThreadCounters> = {};
  for (const task of tasks) {
    const dir = `/proc/${pid}/task/${task}`;
    const read = (file: string): string | undefined => {
      try {
        return readFileSync(`${dir}/${file}`, 'utf8');
      } catch {
        return undefined; // the thread ended meanwhile, or the kernel has no such file
      }
    };
    const stat = read('stat');
    if (stat === undefined) continue;
    const schedstat = read('schedstat');
    const waiting = schedstat === undefined ? undefined : runQueueSeconds(schedstat);
    const status = read('status');
    threads[task] = {
      name: statName(stat),
      seconds: statSeconds(stat),
      ...(waiting === undefined ? {} : { waiting }),
      ...(status === undefined ? {} : contextSwitches(status)),
    };
  }
  return threads;
}

/** A status file's voluntary (sleeps) and involuntary (preemptions) context switches; nothing if it has none. */
export function contextSwitches(status: string): { sleeps?: number; preemptions?: number } {
  const count = (field: string) => Number(new RegExp(`^${field}:\\s*(\\d+)$`, 'm').exec(status)?.[1] ?? Number.NaN);
  const sleeps = count('voluntary_ctxt_switches');
  const preemptions = count('nonvoluntary_ctxt_switches');
  return Number.isFinite(sleeps) && Number.isFinite(preemptions) ? { sleeps, preemptions } : {};
}

/**
 * A schedstat file's second field, nanoseconds runnable on a run queue waiting for a core, in seconds. Undefined when
 * its first field, nanoseconds on a core, is 0: a kernel that keeps no such statistics writes "0 0 0".
 */
export function runQueueSeconds(schedstat: string): number | undefined {
  const [ran, waited] = schedstat.trim().split(' ').map(Number);
  return ran && Number.isFinite(waited) ? (waited as number) / 1e9 : undefined;
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
  const serverThreads = threadCounters(serverPid);
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
    ...(from.serverThreads && to.serverThreads ? { serverThreadCores: threadCores(from.serverThreads, to.serverThreads, wall) } : {}),
  };
}

/**
 * Each thread's counters over the interval, by thread id (one that started during it counts from zero; one that ended
 * is not counted), summed by name. Cores to three decimals: a thread's CPU per decision is read from them.
 */
function threadCores(from: ThreadCountersById, to: ThreadCountersById, wall: number): ThreadCores[] {
  type Optional = 'waiting' | 'sleeps' | 'preemptions';
  const optional: readonly Optional[] = ['waiting', 'sleeps', 'preemptions'];
  const byName = new Map<string, { seconds: number } & Partial<Record<Optional, number>>>();
  for (const [tid, now] of Object.entries(to)) {
    // The same id under another name is a new thread that reused an ended one's id: it counts from zero.
    const before = from[tid]?.name === now.name ? from[tid] : undefined;
    const sum = byName.get(now.name) ?? { seconds: 0, waiting: 0, sleeps: 0, preemptions: 0 };
    sum.seconds += Math.max(0, now.seconds - (before?.seconds ?? 0));
    // A counter is reported for a name only when every thread of it has it at both ends (a new thread from zero).
    for (const k of optional) {
      const start = before ? before[k] : 0;
      const end = now[k];
      const sofar = sum[k];
      sum[k] = end === undefined || start === undefined || sofar === undefined ? undefined : sofar + Math.max(0, end - start);
    }
    byName.set(now.name, sum);
  }
  const cores = (seconds: number) => Math.round((seconds / wall) * 1000) / 1000;
  const perSecond = (n: number) => Math.round(n / wall);
  return [...byName]
    .map(([name, t]) => ({
      name,
      cores: cores(t.seconds),
      ...(t.waiting === undefined ? {} : { waitingCores: cores(t.waiting) }),
      ...(t.sleeps === undefined ? {} : { sleepsPerSecond: perSecond(t.sleeps) }),
      ...(t.preemptions === undefined ? {} : { preemptionsPerSecond: perSecond(t.preemptions) }),
    }))
    .filter((t) => t.cores >= 0.005)
    .sort((a, b) => b.cores - a.cores || a.name.localeCompare(b.name));
}

/** Each thread's CPU a decision at the run's rate (its cores ÷ decisions a second); none without a rate. */
export function threadMicrosPerDecision(threads: readonly ThreadCores[], decisionsPerSecond: number): (ThreadCores & { micros?: number })[] {
  return threads.map((t) => (decisionsPerSecond > 0 ? { ...t, micros: Math.round((t.cores / decisionsPerSecond) * 1e6) } : { ...t }));
}

/**
 * The console's line: `MainThread 0.688 (216; 0.192 waiting; 622 preempted/s), …`: µs of CPU a decision, the cores'
 * worth of time spent waiting for a core, and how often a second the thread was preempted, in brackets.
 */
export function describeThreads(threads: readonly ThreadCores[], decisionsPerSecond: number): string {
  return threadMicrosPerDecision(threads, decisionsPerSecond)
    .map((t) => {
      const waiting = t.waitingCores === undefined ? '' : `; ${t.waitingCores} waiting`;
      const preempted = t.preemptionsPerSecond === undefined ? '' : `; ${t.preemptionsPerSecond} preempted/s`;
      return `${t.name} ${t.cores} (${t.micros ?? '—'}${waiting}${preempted})`;
    })
    .join(', ');
}

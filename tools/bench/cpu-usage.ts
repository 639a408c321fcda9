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

function processSeconds(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // the process has exited; the caller reports that
  }
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15 of the whole line.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clockTicks();
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
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    total += (Number(fields[11]) + Number(fields[12])) / clockTicks();
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
  return {
    at: performance.now(),
    machineBusy: machineBusySeconds(),
    server,
    loadGenerator: (own.user + own.system) / 1e6,
    ...(databaseCommand === undefined ? {} : { database: commandSeconds(databaseCommand) }),
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
  };
}

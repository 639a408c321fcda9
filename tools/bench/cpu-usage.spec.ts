import { readFileSync } from 'node:fs';
import {
  contextSwitches,
  cpuShare,
  cpuSnapshot,
  describeThreads,
  runQueueSeconds,
  threadMicrosPerDecision,
  type CpuSnapshot,
  type ThreadCounters,
  type ThreadCountersById,
} from './cpu-usage';

describe('cpuShare', () => {
  it('divides CPU seconds by wall seconds and attributes the rest of the machine to other processes', () => {
    const from = { at: 0, machineBusy: 100, server: 10, loadGenerator: 5 };
    const to = { at: 2000, machineBusy: 103.6, server: 11.6, loadGenerator: 5.6 };
    expect(cpuShare(from, to)).toEqual({ serverCores: 0.8, loadGeneratorCores: 0.3, otherCores: 0.7, machineBusyCores: 1.8 });
  });

  it("counts the database server's processes apart from the other processes", () => {
    const from = { at: 0, machineBusy: 100, server: 10, loadGenerator: 5, database: 20 };
    const to = { at: 2000, machineBusy: 103.6, server: 11.6, loadGenerator: 5.6, database: 21.2 };
    expect(cpuShare(from, to)).toEqual({ serverCores: 0.8, loadGeneratorCores: 0.3, databaseCores: 0.6, otherCores: 0.1, machineBusyCores: 1.8 });
  });

  it("gives the server's threads by name, busiest first, thread by thread id, leaving out the idle ones", () => {
    const [from, to] = interval(
      { 1: thread('MainThread', 8), 2: thread('V8Worker', 1), 3: thread('V8Worker', 1), 4: thread('projections', 30), 5: thread('sealer', 1), 6: thread('ended', 3) },
      // Thread 4 ended and the projection thread restarted as thread 7: its 0.4 s count, not 0.4 − 30. Thread 6
      // ended too. The two V8 workers add up. The sealer did nothing; "history" ties with the V8 workers.
      {
        5: thread('sealer', 1),
        2: thread('V8Worker', 1.1),
        7: thread('projections', 0.4),
        1: thread('MainThread', 9.2),
        3: thread('V8Worker', 1.1),
        8: thread('history', 0.2),
      },
    );
    expect(cpuShare(from, to)?.serverThreadCores).toEqual([
      { name: 'MainThread', cores: 0.6 },
      { name: 'projections', cores: 0.2 },
      { name: 'history', cores: 0.1 },
      { name: 'V8Worker', cores: 0.1 },
    ]);
  });

  it("sums each name's time waiting for a core and its sleeps and preemptions, and gives none for a name whose threads did not all report them", () => {
    const [from, to] = interval(
      { 1: thread('MainThread', 8, 2, 100, 50), 2: thread('V8Worker', 1, 1, 10, 10), 3: thread('V8Worker', 1, 1, 10, 10), 4: thread('history', 1) },
      // Thread 5 started during the interval: all its counts count. Thread 4 reported none at the start.
      {
        1: thread('MainThread', 9.2, 2.34, 360, 1290),
        2: thread('V8Worker', 1.1, 1.1, 50, 14),
        3: thread('V8Worker', 1.1, 1.02, 30, 12),
        4: thread('history', 1.2, 0.5, 7, 7),
        5: thread('sealer', 0.2, 0.04, 9, 3),
      },
    );
    expect(cpuShare(from, to)?.serverThreadCores).toEqual([
      { name: 'MainThread', cores: 0.6, waitingCores: 0.17, sleepsPerSecond: 130, preemptionsPerSecond: 620 },
      { name: 'history', cores: 0.1 },
      { name: 'sealer', cores: 0.1, waitingCores: 0.02, sleepsPerSecond: 5, preemptionsPerSecond: 2 },
      { name: 'V8Worker', cores: 0.1, waitingCores: 0.06, sleepsPerSecond: 30, preemptionsPerSecond: 3 },
    ]);
    expect(describeThreads([{ name: 'MainThread', cores: 0.72, waitingCores: 0.17, preemptionsPerSecond: 620 }], 3_600)).toBe(
      'MainThread 0.72 (200; 0.17 waiting; 620 preempted/s)',
    );
    expect(describeThreads([{ name: 'MainThread', cores: 0.72, waitingCores: 0.17 }], 3_600)).toBe('MainThread 0.72 (200; 0.17 waiting)');
  });

  it('counts a thread id reused under another name from zero', () => {
    const [from, to] = interval({ 9: thread('export', 50, 1, 100, 100) }, { 9: thread('replay', 0.4, 0.02, 3, 1) });
    expect(cpuShare(from, to)?.serverThreadCores).toEqual([{ name: 'replay', cores: 0.2, waitingCores: 0.01, sleepsPerSecond: 2, preemptionsPerSecond: 1 }]);
  });

  it("reads a schedstat file's run-queue wait in seconds, and none from a kernel that keeps no such statistics", () => {
    // Fields: ns on a core, ns waiting on a run queue, time slices.
    expect(runQueueSeconds('1555574385 1602444 53\n')).toBeCloseTo(0.001602444, 12);
    expect(runQueueSeconds('0 0 0\n')).toBeUndefined();
    expect(runQueueSeconds('')).toBeUndefined();
  });

  it("reads a status file's voluntary and involuntary context switches apart", () => {
    const status = ['Name:\tMainThread', 'State:\tS (sleeping)', 'voluntary_ctxt_switches:\t1657', 'nonvoluntary_ctxt_switches:\t553', ''].join('\n');
    expect(contextSwitches(status)).toEqual({ sleeps: 1657, preemptions: 553 });
    expect(contextSwitches('Name:\tx\n')).toEqual({});
  });

  it("turns a thread's cores into its CPU per decision at the run's rate, and says nothing without a rate", () => {
    expect(threadMicrosPerDecision([{ name: 'MainThread', cores: 0.72 }], 3_600)).toEqual([{ name: 'MainThread', cores: 0.72, micros: 200 }]);
    expect(threadMicrosPerDecision([{ name: 'MainThread', cores: 0.1 }], 0)).toEqual([{ name: 'MainThread', cores: 0.1 }]);
    expect(describeThreads([{ name: 'MainThread', cores: 0.72 }, { name: 'history', cores: 0.144 }], 3_600)).toBe('MainThread 0.72 (200), history 0.144 (40)');
    expect(describeThreads([{ name: 'MainThread', cores: 0.72 }], 0)).toBe('MainThread 0.72 (—)');
  });

  it('has nothing to say without both snapshots', () => {
    expect(cpuShare(undefined, { at: 1, machineBusy: 1, server: 1, loadGenerator: 1 })).toBeUndefined();
  });
});

/** A thread's counters as /proc gives them; those left out are ones the kernel did not give. */
function thread(name: string, seconds: number, waiting?: number, sleeps?: number, preemptions?: number): ThreadCounters {
  return {
    name,
    seconds,
    ...(waiting === undefined ? {} : { waiting }),
    ...(sleeps === undefined || preemptions === undefined ? {} : { sleeps, preemptions }),
  };
}

/** Two snapshots 2 s apart, the machine's figures the same each time, with these threads. */
function interval(from: ThreadCountersById, to: ThreadCountersById): [CpuSnapshot, CpuSnapshot] {
  return [
    { at: 0, machineBusy: 100, server: 10, loadGenerator: 5, serverThreads: from },
    { at: 2000, machineBusy: 103.6, server: 11.6, loadGenerator: 5.6, serverThreads: to },
  ];
}

const onLinux = process.platform === 'linux' ? describe : describe.skip;
onLinux('cpuSnapshot', () => {
  it('sees the CPU a real process burns', () => {
    const before = cpuSnapshot(process.pid)!;
    burnCpu(100);
    const after = cpuSnapshot(process.pid)!;
    expect(after.server).toBeGreaterThan(before.server);
    expect(after.loadGenerator).toBeGreaterThan(before.loadGenerator);
    expect(after.machineBusy).toBeGreaterThanOrEqual(before.machineBusy);
  });

  it("reads each thread's time waiting for a core, and its context switches, where the kernel keeps them", () => {
    const snapshot = cpuSnapshot(process.pid)!;
    const threads = Object.values(snapshot.serverThreads ?? {});
    expect(threads.length).toBeGreaterThan(0);
    const readable = (file: string): boolean => {
      try {
        readFileSync(file, 'utf8');
        return true;
      } catch {
        return false;
      }
    };
    const schedstat = readable('/proc/thread-self/schedstat');
    const switches = /voluntary_ctxt_switches/.test(readable('/proc/thread-self/status') ? readFileSync('/proc/thread-self/status', 'utf8') : '');
    for (const t of threads) {
      if (schedstat) expect(t.waiting).toBeGreaterThanOrEqual(0);
      else expect(t.waiting).toBeUndefined();
      if (switches) {
        expect(t.sleeps).toBeGreaterThanOrEqual(0);
        expect(t.preemptions).toBeGreaterThanOrEqual(0);
      } else expect(t.sleeps).toBeUndefined();
    }
    // This thread has run long enough to have slept at least once (module loading reads files).
    const own = Object.values(snapshot.serverThreads ?? {}).find((t) => t.name === readFileSync('/proc/thread-self/comm', 'utf8').trim());
    if (switches) expect((own?.sleeps ?? 0) + (own?.preemptions ?? 0)).toBeGreaterThan(0);
  });

  it('counts the CPU of every process with a given command name', () => {
    // This test's own process, by its command name: at least what it has burnt so far.
    const own = readFileSync('/proc/self/stat', 'utf8');
    const command = own.slice(own.indexOf('(') + 1, own.lastIndexOf(')'));
    const snapshot = cpuSnapshot(process.pid, command)!;
    expect(snapshot.database).toBeGreaterThan(0);
    expect(cpuSnapshot(process.pid, 'no-such-command-here')!.database).toBe(0);
  });

  it("splits the process's CPU by thread: the busy thread is credited with what it burnt", () => {
    const own = readFileSync('/proc/thread-self/comm', 'utf8').trim();
    // Measured apart by Node for this thread alone: other threads of this process (a loaded CI machine's GC helpers,
    // an earlier suite's workers) may be busy meanwhile, so the process's total says little about this thread.
    const cpuBefore = process.threadCpuUsage();
    const before = cpuSnapshot(process.pid)!;
    burnCpu(300);
    const after = cpuSnapshot(process.pid)!;
    const burnt = process.threadCpuUsage(cpuBefore);
    const share = cpuShare(before, after)!;
    const seconds = (after.at - before.at) / 1000;
    const measured = (burnt.user + burnt.system) / 1e6 / seconds;
    const ownCores = share.serverThreadCores?.find((t) => t.name === own)?.cores ?? 0;
    // /proc counts in clock ticks (10 ms), read at each end: a tick or two either way; Node's figure also covers the
    // two snapshots' own reading (a few ms).
    const slack = (2 * 0.01) / seconds + 0.05;
    expect(measured).toBeGreaterThan(0);
    expect(ownCores).toBeGreaterThanOrEqual(measured - slack);
    expect(ownCores).toBeLessThanOrEqual(measured + slack);
    expect(ownCores).toBeLessThanOrEqual(share.serverCores + slack);
  });

  it('returns undefined for a process that does not exist', () => {
    expect(cpuSnapshot(2 ** 22 + 12345)).toBeUndefined();
  });
});

/** Keeps this thread busy until it has used `ms` of CPU (measured, so a starved machine only makes it take longer). */
function burnCpu(ms: number): void {
  const start = process.threadCpuUsage();
  const used = (): number => {
    const now = process.threadCpuUsage(start);
    return (now.user + now.system) / 1000;
  };
  const giveUp = Date.now() + 10_000;
  let x = 0;
  while (used() < ms && Date.now() < giveUp) for (let i = 0; i < 10_000; i++) x += Math.sqrt(x + 1);
  if (!(x > 0)) throw new Error('unreachable');
}

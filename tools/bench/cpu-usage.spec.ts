import { readFileSync } from 'node:fs';
import { cpuShare, cpuSnapshot, threadMicrosPerDecision } from './cpu-usage';

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

  it("gives the server's threads by name, busiest first, leaving out the idle ones", () => {
    const from = { at: 0, machineBusy: 100, server: 10, loadGenerator: 5, serverThreads: { MainThread: 8, history: 1, sealer: 1 } };
    const to = {
      at: 2000,
      machineBusy: 103.6,
      server: 11.6,
      loadGenerator: 5.6,
      // history used 0.2 s, sealer nothing, and "restarted" began during the run; a thread that ended is gone.
      serverThreads: { MainThread: 9.2, history: 1.2, sealer: 1, restarted: 0.2 },
    };
    expect(cpuShare(from, to)?.serverThreads).toEqual([
      { name: 'MainThread', cores: 0.6 },
      { name: 'history', cores: 0.1 },
      { name: 'restarted', cores: 0.1 },
    ]);
  });

  it('turns a thread\'s cores into its CPU per decision at the run\'s rate', () => {
    expect(threadMicrosPerDecision([{ name: 'MainThread', cores: 0.72 }], 3_600)).toEqual([{ name: 'MainThread', cores: 0.72, micros: 200 }]);
    expect(threadMicrosPerDecision([{ name: 'MainThread', cores: 0.1 }], 0)).toEqual([{ name: 'MainThread', cores: 0.1, micros: 0 }]);
  });

  it('has nothing to say without both snapshots', () => {
    expect(cpuShare(undefined, { at: 1, machineBusy: 1, server: 1, loadGenerator: 1 })).toBeUndefined();
  });
});

const onLinux = process.platform === 'linux' ? describe : describe.skip;
onLinux('cpuSnapshot', () => {
  it('sees the CPU a real process burns', () => {
    const before = cpuSnapshot(process.pid)!;
    const until = Date.now() + 300;
    let x = 0;
    while (Date.now() < until) x += Math.sqrt(x + 1);
    const after = cpuSnapshot(process.pid)!;
    expect(x).toBeGreaterThan(0);
    expect(after.server).toBeGreaterThan(before.server);
    expect(after.loadGenerator).toBeGreaterThan(before.loadGenerator);
    expect(after.machineBusy).toBeGreaterThanOrEqual(before.machineBusy);
  });

  it('counts the CPU of every process with a given command name', () => {
    // This test's own process, by its command name: at least what it has burnt so far.
    const own = readFileSync('/proc/self/stat', 'utf8');
    const command = own.slice(own.indexOf('(') + 1, own.lastIndexOf(')'));
    const snapshot = cpuSnapshot(process.pid, command)!;
    expect(snapshot.database).toBeGreaterThan(0);
    expect(cpuSnapshot(process.pid, 'no-such-command-here')!.database).toBe(0);
  });

  it("splits the process's CPU by thread: the busy thread gains what the process gains", () => {
    const own = readFileSync('/proc/thread-self/comm', 'utf8').trim();
    const before = cpuSnapshot(process.pid)!;
    const until = Date.now() + 300;
    let x = 0;
    while (Date.now() < until) x += Math.sqrt(x + 1);
    const after = cpuSnapshot(process.pid)!;
    expect(x).toBeGreaterThan(0);
    const gained = (name: string): number => (after.serverThreads?.[name] ?? 0) - (before.serverThreads?.[name] ?? 0);
    const names = Object.keys(after.serverThreads ?? {});
    expect(names).toContain(own);
    expect(names.every((name) => gained(name) <= gained(own))).toBe(true);
    expect(gained(own)).toBeGreaterThan(0.1);
    // Live threads never add up to more than the process (which also keeps the seconds of threads that ended).
    const sum = Object.values(after.serverThreads ?? {}).reduce((a, b) => a + b, 0);
    expect(sum).toBeLessThanOrEqual(after.server + 0.01 * (names.length + 1));
  });

  it('returns undefined for a process that does not exist', () => {
    expect(cpuSnapshot(2 ** 22 + 12345)).toBeUndefined();
  });
});

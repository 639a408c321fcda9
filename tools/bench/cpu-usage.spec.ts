import { cpuShare, cpuSnapshot } from './cpu-usage';

describe('cpuShare', () => {
  it('divides CPU seconds by wall seconds and attributes the rest of the machine to other processes', () => {
    const from = { at: 0, machineBusy: 100, server: 10, loadGenerator: 5 };
    const to = { at: 2000, machineBusy: 103.6, server: 11.6, loadGenerator: 5.6 };
    expect(cpuShare(from, to)).toEqual({ serverCores: 0.8, loadGeneratorCores: 0.3, otherCores: 0.7, machineBusyCores: 1.8 });
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

  it('returns undefined for a process that does not exist', () => {
    expect(cpuSnapshot(2 ** 22 + 12345)).toBeUndefined();
  });
});

import { cpuLines } from './bench-console';

describe('cpuLines', () => {
  it('names where the cores went, the database apart, and warns when other processes skewed the run', () => {
    expect(cpuLines({ serverCores: 1.1, databaseCores: 0.3, loadGeneratorCores: 0.5, otherCores: 0.05, machineBusyCores: 1.95 }, 3_000)).toEqual([
      'cores used: server 1.1, PostgreSQL 0.3, load generator 0.5, other processes 0.05',
    ]);
    const noisy = cpuLines({ serverCores: 1, loadGeneratorCores: 0.5, otherCores: 0.4, machineBusyCores: 1.9, serverThreadCores: [{ name: 'MainThread', cores: 0.6 }] }, 3_000);
    expect(noisy[1]).toBe('WARNING: other processes took 0.4 cores during this run; its numbers are skewed');
    expect(noisy[2]).toMatch(/^server threads, cores .*: MainThread 0\.6 \(200\)$/);
  });
});

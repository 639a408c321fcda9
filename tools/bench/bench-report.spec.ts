import { tailBySecond, threadTable } from './bench-report';

describe('tailBySecond', () => {
  it('names the worst second and counts the seconds over the 10 ms target', () => {
    expect(tailBySecond('engine', [8.2, 9.96, 57.36, 10.04, 4])).toBe(
      'p99 of each second of the measured run, engine (ms, by scheduled send time): 8.2 10.0 57.4 10.0 4.0. Worst: second 3 (57.4 ms); 2 of 5 seconds over 10 ms.',
    );
  });

  it('takes the first of equal worst seconds', () => {
    expect(tailBySecond('baseline', [3, 3])).toContain('Worst: second 1 (3.0 ms); 0 of 2 seconds over 10 ms.');
  });

  it('shows a second without a 2xx answer as the worst, over the target', () => {
    expect(tailBySecond('engine', [4, null, 80])).toBe(
      'p99 of each second of the measured run, engine (ms, by scheduled send time): 4.0 — 80.0. Worst: second 2 (no 2xx answer); 2 of 3 seconds over 10 ms.',
    );
  });
});

describe('threadTable', () => {
  it("lists the server's threads with their cores and CPU per decision at the run's rate", () => {
    const table = threadTable(
      'engine',
      [
        { name: 'MainThread', cores: 0.72, waitingCores: 0.17, sleepsPerSecond: 130, preemptionsPerSecond: 620 },
        { name: 'projections', cores: 0.42 },
      ],
      3_500,
    );
    expect(table.split('\n')).toEqual([
      "Threads of the engine's process during the measured run (from /proc; threads of one name summed):",
      '',
      '| thread | cores | µs of CPU a decision | waiting for a core (cores) | sleeps a second | preemptions a second |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      '| MainThread | 0.72 | 206 | 0.17 | 130 | 620 |',
      '| projections | 0.42 | 120 | — | — | — |',
    ]);
  });
});

import { tailBySecond } from './bench-report';

describe('tailBySecond', () => {
  it('names the worst second and counts the seconds over the 10 ms target', () => {
    expect(tailBySecond('engine', [8.2, 9.9, 57.36, 10.1, 4])).toBe(
      'p99 of each second of the measured run, engine (ms, by scheduled send time): 8 10 57 10 4. Worst: second 3 (57.4 ms); 2 of 5 seconds over 10 ms.',
    );
  });

  it('takes the first of equal worst seconds', () => {
    expect(tailBySecond('baseline', [3, 3])).toContain('Worst: second 1 (3.0 ms); 0 of 2 seconds over 10 ms.');
  });
});

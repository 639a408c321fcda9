import { parseBenchOptions } from './bench-options';

describe('parseBenchOptions', () => {
  it('defaults to a closed loop of both targets with numbered transaction ids', () => {
    const o = parseBenchOptions([]);
    expect(o).toMatchObject({ mode: { kind: 'closed' }, only: 'both', connections: 64, poolSize: 20000, seed: 7, transactionIds: 'numbered' });
  });

  it('takes random transaction ids, batches and the open loop', () => {
    expect(parseBenchOptions(['--random-ids']).transactionIds).toBe('random');
    expect(parseBenchOptions(['--batch', '500', '--random-ids'])).toMatchObject({ mode: { kind: 'batch', size: 500 }, only: 'engine', transactionIds: 'random' });
    expect(parseBenchOptions(['--rate', '1000']).mode).toEqual({ kind: 'rate', rate: 1000 });
  });

  it('refuses what cannot be run', () => {
    expect(() => parseBenchOptions(['--batch', '500', '--rate', '1000'])).toThrow('--batch and --rate cannot be combined');
    expect(() => parseBenchOptions(['--batch', '1001'])).toThrow('at most 1000');
    expect(() => parseBenchOptions(['--only', 'neither'])).toThrow('--only must be');
  });
});

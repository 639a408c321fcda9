import { setTimeout as delay } from 'node:timers/promises';
import { SharedLag } from './projection-lag';

describe('SharedLag', () => {
  it('gives up a count that runs past its time limit, and the next caller counts again', async () => {
    let counts = 0;
    const lag = new SharedLag(() => (++counts === 1 ? new Promise<number>(() => undefined) : Promise.resolve(4)), 10, 50);
    const stuck = lag.get();
    expect(lag.get()).toBe(stuck); // still running: shared
    await expect(stuck).rejects.toThrow('the lag was not counted within 50 ms');
    expect(await lag.get()).toBe(4);
    expect(counts).toBe(2);
  });

  it('counts once per interval, and a count still running answers every caller, past the interval too', async () => {
    let counts = 0;
    let finish: (n: number) => void = () => undefined;
    const lag = new SharedLag(() => {
      counts++;
      if (counts > 1) return Promise.resolve(counts);
      return new Promise<number>((resolve) => (finish = resolve));
    }, 30);
    const first = lag.get();
    await delay(50); // past the interval, still running
    const second = lag.get();
    expect(counts).toBe(1);
    finish(7);
    expect(await Promise.all([first, second])).toEqual([7, 7]);
    expect(await lag.get()).toBe(2); // finished, and past its interval: counted again
  });

  it('reuses a finished count within the interval', async () => {
    let counts = 0;
    const lag = new SharedLag(async () => ++counts, 60_000);
    expect(await lag.get()).toBe(1);
    expect(await lag.get()).toBe(1);
    expect(counts).toBe(1);
  });

  it('gives every caller the failure of a count that failed, and counts again after the interval', async () => {
    let fail = true;
    const lag = new SharedLag(async () => {
      if (fail) throw new Error('store down');
      return 3;
    }, 30);
    await expect(lag.get()).rejects.toThrow('store down');
    await expect(lag.get()).rejects.toThrow('store down');
    fail = false;
    await delay(40);
    expect(await lag.get()).toBe(3);
  });
});

import { RecentDecisions } from './recent-decisions';

describe('RecentDecisions', () => {
  it('remembers up to its capacity and forgets the first remembered first', () => {
    const recent = new RecentDecisions(3);
    for (const n of [1, 2, 3]) recent.remember(`d${n}`, `t${n}`);
    recent.remember('d1', 't1'); // again: no change of order, no growth
    recent.remember('d4', 't4');
    expect(recent.transactionOf('d1')).toBeUndefined();
    expect(['d2', 'd3', 'd4'].map((d) => recent.transactionOf(d))).toEqual(['t2', 't3', 't4']);
    for (let n = 5; n < 1000; n++) recent.remember(`d${n}`, `t${n}`);
    expect(['d996', 'd997', 'd998', 'd999'].map((d) => recent.transactionOf(d))).toEqual([undefined, 't997', 't998', 't999']);
  });
});

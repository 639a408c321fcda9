import { isTrafficPercent } from './traffic-percent';

describe('isTrafficPercent', () => {
  it('takes 0 to 100 with at most two decimals, as floating point writes them', () => {
    for (const p of [0, 0.01, 0.07, 0.29, 1.1, 33.33, 66.67, 99.99, 100]) expect(isTrafficPercent(p)).toBe(true);
    for (const p of [-0.01, 100.01, 0.001, 66.666, Number.NaN, Number.POSITIVE_INFINITY]) expect(isTrafficPercent(p)).toBe(false);
  });
});

import { validateObject } from '../request-validation';
import { replayRequestSchema } from './replay-request';

describe('replay requests', () => {
  it('take positions as decimal strings or safe integers, up to the 64-bit limit', () => {
    const ok = validateObject(replayRequestSchema, { fromPosition: 9007199254740991, toPosition: '9223372036854775807' });
    expect(ok.ok && ok.value.toPosition).toBe(2n ** 63n - 1n);
    const bad = validateObject(replayRequestSchema, { fromPosition: '9223372036854775808' });
    expect(bad.ok ? [] : bad.errors.map((e) => e.path)).toEqual(['/fromPosition']);
  });

  it('refuse a position string that is not a number as a field error, not by throwing (found by fuzzing)', () => {
    for (const toPosition of ['\u0000', 'x', '1e3', '-1', '']) {
      const bad = validateObject(replayRequestSchema, { toPosition });
      expect(bad.ok ? [] : bad.errors.map((e) => e.path)).toEqual(['/toPosition']);
    }
  });
});

import { validateObject } from '../request-validation';
import { replayRequestSchema } from './replay-request';

describe('replay requests', () => {
  it('take positions as decimal strings or safe integers, up to the 64-bit limit', () => {
    const ok = validateObject(replayRequestSchema, { fromPosition: 9007199254740991, toPosition: '9223372036854775807' });
    expect(ok.ok && ok.value.toPosition).toBe(2n ** 63n - 1n);
    const bad = validateObject(replayRequestSchema, { fromPosition: '9223372036854775808' });
    expect(bad.ok ? [] : bad.errors.map((e) => e.path)).toEqual(['/fromPosition']);
  });
});

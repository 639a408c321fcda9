import type { RecordedEventText } from './event-store.port';
import { checkMaxChars, TextBudget } from './text-budget';

const event = (chars: number): RecordedEventText =>
  ({ id: 'e', type: 'T', streamId: 's', revision: 0n, position: 1n, dataJson: 'x'.repeat(chars - 2), metadataJson: '{}', canonical: false, recordedAt: new Date(0) });

describe('TextBudget', () => {
  it('admits the first event whatever its size, then events while the total stays within maxChars', () => {
    const budget = new TextBudget(100);
    expect(budget.admits(event(150))).toBe(true);
    expect(budget.admits(event(2))).toBe(false);
    const exact = new TextBudget(100);
    expect([40, 60, 2].map((n) => exact.admits(event(n)))).toEqual([true, true, false]);
  });

  it('guesses how many more of the largest event seen still fit', () => {
    const budget = new TextBudget(1_000);
    expect(budget.fitting(32)).toBe(32);
    budget.admits(event(100));
    budget.admits(event(50));
    expect(budget.fitting(32)).toBe(8);
    budget.admits(event(800));
    expect(budget.fitting(32)).toBe(1);
    expect(new TextBudget(undefined).fitting(32)).toBe(Number.POSITIVE_INFINITY);
  });

  it('takes a positive safe integer or nothing', () => {
    expect(checkMaxChars(undefined)).toBeUndefined();
    expect(checkMaxChars(5)).toBe(5);
    for (const bad of [0, -3, 2.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) expect(() => checkMaxChars(bad)).toThrow(RangeError);
  });
});

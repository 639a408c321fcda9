import { CLOCK_SKEW_MS, dateTimeSchema, isInstantParam, isRealDateTime, pastDateTimeSchema } from './date-time';

describe('date-times', () => {
  it.each([
    '2026-01-31T12:00:00Z',
    '2024-02-29T00:00:00.123456789+01:00',
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59.999Z',
    '2026-06-30T23:59:59-23:59',
  ])('takes the real instant %s', (s) => {
    expect(isRealDateTime(s)).toBe(true);
    expect(dateTimeSchema.safeParse(s).success).toBe(true);
  });

  it.each([
    ['2026-02-30T10:00:00Z', 'a day past the end of its month, which Date.parse rolls over to March'],
    ['2025-02-29T10:00:00Z', 'February 29th of a common year'],
    ['2026-04-31T10:00:00Z', 'April 31st'],
    ['2026-13-01T10:00:00Z', 'a 13th month'],
    ['2026-06-30T24:00:00Z', '24:00, which Date.parse takes'],
    ['2026-06-30T23:59:60Z', 'a leap second'],
    ['2026-06-30T10:00:00+24:00', 'an offset of 24 hours'],
    ['0000-01-01T00:00:00+01:00', 'an instant in year -1 once its offset applies'],
    ['9999-12-31T23:00:00-05:00', 'an instant in year 10000 once its offset applies'],
    ['2026-06-30T10:00:00', 'no offset'],
    ['2026-06-30', 'a day alone'],
  ])('refuses %s (%s)', (s) => {
    expect(isRealDateTime(s)).toBe(false);
    expect(dateTimeSchema.safeParse(s).success).toBe(false);
  });

  it('refuses a time reported from the future, beyond the clock skew it allows', () => {
    const at = (ms: number) => new Date(Date.now() + ms).toISOString();
    expect(pastDateTimeSchema.safeParse(at(CLOCK_SKEW_MS - 60_000)).success).toBe(true);
    const ahead = pastDateTimeSchema.safeParse(at(CLOCK_SKEW_MS + 60_000));
    expect(ahead.success).toBe(false);
    expect(ahead.error?.issues.map((i) => i.message)).toEqual([expect.stringContaining('must not be in the future')]);
  });

  it('gives a malformed date-time one message, not the format and the calendar both', () => {
    expect(dateTimeSchema.safeParse('yesterday').error?.issues).toHaveLength(1);
    expect(pastDateTimeSchema.safeParse('2026-02-30T10:00:00Z').error?.issues).toHaveLength(1);
  });

  it.each([
    ['2026-01-31', true],
    ['2026-01-31T12:00:00Z', true],
    ['2026-01-31T12:00:00.5+02:00', true],
    ['2026-02-30', false],
    ['+010000-01-01T00:00:00Z', false],
    ['10000-01-01', false],
    ['0', false],
    ['Tue, 01 Dec 2026 00:00:00 GMT', false],
    ['2026-01-31T12:00:00', false],
    ['2026-01-31T12:00Z', true],
    ['2026-01-31T12:60Z', false],
  ])('takes %s as a time bound in a query: %s', (s, ok) => {
    expect(isInstantParam(s)).toBe(ok);
  });
});

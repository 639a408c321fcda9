import { decisionRequestSchema, type DecisionRequest } from '../decision-request';
import {
  buildFeatureVector,
  FEATURE_NAMES,
  FEATURES,
  FeatureErrorCode,
  InvalidFeatureOutputError,
  mccGroup,
  UnknownFeatureError,
} from './index';

const base: DecisionRequest = decisionRequestSchema.parse({
  transactionId: 'tx-1',
  occurredAt: '2026-01-31T03:15:00Z', // a Saturday
  amount: 1234.5,
  currency: 'EUR',
  cardId: 'card-1',
  merchantId: 'm-1',
  merchantCategory: '6051',
  channel: 'ecom',
  country: 'NG',
  ip: '10.0.0.1',
  attributes: { cardCountry: 'FR' },
});

const value = (request: DecisionRequest, name: string): number => buildFeatureVector(request, [name])[0] as number;

describe('features', () => {
  it('have unique names and descriptions', () => {
    expect(new Set(FEATURE_NAMES).size).toBe(FEATURES.length);
    for (const f of FEATURES) expect(f.description.length).toBeGreaterThan(10);
  });

  it('compute amount features', () => {
    expect(value(base, 'amount')).toBe(1234.5);
    expect(value(base, 'log_amount')).toBeCloseTo(Math.log(1235.5), 5);
    expect(value(base, 'amount_cents')).toBe(50);
    expect(value({ ...base, amount: 12.3 }, 'amount_cents')).toBe(30);
    expect(value(base, 'amount_is_round')).toBe(0);
    expect(value({ ...base, amount: 500 }, 'amount_is_round')).toBe(1);
    expect(value({ ...base, amount: 5 }, 'amount_is_round')).toBe(0);
    expect(value({ ...base, amount: 0.99 }, 'amount_is_micro')).toBe(1);
    expect(value(base, 'amount_is_micro')).toBe(0);
  });

  it('compute time features in UTC, honouring the offset', () => {
    expect(value(base, 'hour_of_day')).toBe(3);
    expect(value(base, 'minute_of_day')).toBe(195);
    expect(value(base, 'day_of_week')).toBe(5);
    expect(value(base, 'is_night')).toBe(1);
    expect(value(base, 'is_weekend')).toBe(1);
    // 09:00 at +02:00 is 07:00 UTC on Monday 2026-02-02.
    const monday = { ...base, occurredAt: '2026-02-02T09:00:00+02:00' };
    expect(value(monday, 'hour_of_day')).toBe(7);
    expect(value(monday, 'day_of_week')).toBe(0);
    expect(value(monday, 'is_night')).toBe(0);
    expect(value(monday, 'is_weekend')).toBe(0);
    // A request object whose timestamp is replaced is re-read, not served from the parse cache.
    const mutable = { ...base };
    expect(value(mutable, 'hour_of_day')).toBe(3);
    mutable.occurredAt = '2026-01-31T17:00:00Z';
    expect(value(mutable, 'hour_of_day')).toBe(17);
    // Crossing midnight backwards through the offset changes the day.
    expect(value({ ...base, occurredAt: '2026-02-02T01:00:00+03:00' }, 'day_of_week')).toBe(6);
  });

  it('compute channel one-hots and card-not-present', () => {
    const names = ['channel_ecom', 'channel_pos', 'channel_atm', 'channel_moto', 'channel_missing', 'card_not_present'];
    expect(Array.from(buildFeatureVector(base, names))).toEqual([1, 0, 0, 0, 0, 1]);
    expect(Array.from(buildFeatureVector({ ...base, channel: 'atm' }, names))).toEqual([0, 0, 1, 0, 0, 0]);
    expect(Array.from(buildFeatureVector({ ...base, channel: 'moto' }, names))).toEqual([0, 0, 0, 1, 0, 1]);
    const { channel: _omit, ...noChannel } = base;
    expect(Array.from(buildFeatureVector(noChannel, names))).toEqual([0, 0, 0, 0, 1, 0]);
  });

  it('compute merchant features', () => {
    expect(value(base, 'mcc_code')).toBe(6051);
    expect(value(base, 'mcc_high_risk')).toBe(1);
    expect(value({ ...base, merchantCategory: '5411' }, 'mcc_high_risk')).toBe(0);
    expect(mccGroup('5411')).toBe(6);
    expect(mccGroup('3000')).toBe(3);
    expect(mccGroup('0742')).toBe(1);
    expect(mccGroup('9399')).toBe(11);
    expect(mccGroup(undefined)).toBe(0);
    const { merchantCategory: _omit, ...noMcc } = base;
    expect(Array.from(buildFeatureVector(noMcc, ['mcc_code', 'mcc_group', 'mcc_high_risk']))).toEqual([0, 0, 0]);
  });

  it('compute is_foreign only when both countries are known', () => {
    expect(value(base, 'is_foreign')).toBe(1);
    expect(value({ ...base, country: 'FR' }, 'is_foreign')).toBe(0);
    expect(value({ ...base, attributes: { cardCountry: 'fr' }, country: 'FR' }, 'is_foreign')).toBe(0);
    expect(value({ ...base, attributes: {} }, 'is_foreign')).toBe(0);
    expect(value({ ...base, attributes: {} }, 'card_country_missing')).toBe(1);
    const { country: _omit, ...noCountry } = base;
    expect(value(noCountry, 'is_foreign')).toBe(0);
    expect(value(noCountry, 'country_missing')).toBe(1);
  });

  it('compute identity presence flags', () => {
    expect(Array.from(buildFeatureVector(base, ['has_device', 'has_ip', 'has_customer_id']))).toEqual([0, 1, 0]);
  });

  it('write float32 values in the requested order at an offset', () => {
    const out = new Float32Array(6).fill(-1);
    const result = buildFeatureVector({ ...base, amount: 0.1 }, ['amount', 'channel_ecom'], out, 3);
    expect(result).toBe(out);
    expect(Array.from(out)).toEqual([-1, -1, -1, Math.fround(0.1), 1, -1]);
  });

  it('throws UnknownFeatureError with a stable code and writes nothing', () => {
    const out = new Float32Array(2);
    let error: unknown;
    try {
      buildFeatureVector(base, ['amount', 'no_such_feature'], out);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnknownFeatureError);
    expect((error as UnknownFeatureError).code).toBe(FeatureErrorCode.UnknownFeature);
    expect((error as UnknownFeatureError).feature).toBe('no_such_feature');
    expect(Array.from(out)).toEqual([0, 0]);
  });

  it('rejects an output buffer too small for the offset', () => {
    expect(() => buildFeatureVector(base, ['amount', 'log_amount'], new Float32Array(2), 1)).toThrow(
      InvalidFeatureOutputError,
    );
  });

  it('computes every registered feature as a finite number for a minimal request', () => {
    const minimal = decisionRequestSchema.parse({
      transactionId: 't',
      occurredAt: '2026-01-01T00:00:00.123456789Z',
      amount: 0,
      currency: 'USD',
      cardId: 'c',
      merchantId: 'm',
    });
    const v = buildFeatureVector(minimal, FEATURE_NAMES);
    expect(v).toHaveLength(FEATURE_NAMES.length);
    for (const x of v) expect(Number.isFinite(x)).toBe(true);
  });
});

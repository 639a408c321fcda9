import { validateDecisionRequest } from './request-validation';

const valid = {
  transactionId: 'tx-1',
  occurredAt: '2026-03-01T12:00:00Z',
  amount: 12.5,
  currency: 'EUR',
  cardId: 'card-1',
  merchantId: 'm-1',
};

describe('validateDecisionRequest', () => {
  it('accepts a minimal valid request and keeps optional fields verbatim', () => {
    const r = validateDecisionRequest({ ...valid, channel: 'ecom', country: 'FR', merchantCategory: '5411', attributes: { a: 1, b: 'x', c: true } });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.attributes).toEqual({ a: 1, b: 'x', c: true });
  });

  it.each([
    [{ ...valid, transactionId: undefined }, '/transactionId', 'is required'],
    [{ ...valid, transactionId: 'has space' }, '/transactionId', 'must contain only'],
    [{ ...valid, transactionId: 'x'.repeat(129) }, '/transactionId', ''],
    [{ ...valid, occurredAt: '2026-03-01T12:00:00' }, '/occurredAt', 'offset'],
    [{ ...valid, occurredAt: '2026-13-45T12:00:00Z' }, '/occurredAt', 'real date-time'],
    [{ ...valid, occurredAt: '2026-02-30T10:00:00Z' }, '/occurredAt', 'real date-time'],
    [{ ...valid, occurredAt: new Date(Date.now() + 10 * 60_000).toISOString() }, '/occurredAt', 'must not be in the future'],
    [{ ...valid, occurredAt: '9999-12-31T23:00:00Z' }, '/occurredAt', 'must not be in the future'],
    [{ ...valid, amount: '12' }, '/amount', 'expected number'],
    [{ ...valid, amount: null }, '/amount', 'expected number'],
    [{ ...valid, amount: -1 }, '/amount', ''],
    [{ ...valid, amount: 1e9 + 1 }, '/amount', ''],
    [{ ...valid, currency: 'eur' }, '/currency', '3 upper-case'],
    [{ ...valid, merchantCategory: '54' }, '/merchantCategory', '4 digits'],
    [{ ...valid, channel: 'web' }, '/channel', ''],
    [{ ...valid, country: 'FRA' }, '/country', ''],
    [{ ...valid, extra: 1 }, '/extra', 'not an allowed field'],
    [{ ...valid, cardId: 'ps_AAAAAAAAAAAAAAAAAAAAAA' }, '/cardId', 'prefix of Verdict\'s pseudonyms'],
    [{ ...valid, customerId: 'ps_x' }, '/customerId', 'must not start with "ps_"'],
    [{ ...valid, deviceId: 'ps_x' }, '/deviceId', 'must not start with "ps_"'],
    [{ ...valid, ip: 'ps_x' }, '/ip', 'must not start with "ps_"'],
    [{ ...valid, attributes: { nested: { a: 1 } } }, '/attributes/nested', ''],
    [{ ...valid, attributes: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])) }, '/attributes', '50 keys'],
  ])('rejects %j at %s', (body, path, message) => {
    const r = validateDecisionRequest(body);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      const hit = r.errors.find((e) => e.path === path);
      expect(hit).toBeDefined();
      expect(hit!.message).toContain(message);
    }
  });

  it('says "is required" only for fields that are really missing', () => {
    const r = validateDecisionRequest({ ...valid, amount: '12', currency: undefined });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.find((e) => e.path === '/amount')?.message).not.toBe('is required');
      expect(r.errors.find((e) => e.path === '/currency')?.message).toBe('is required');
    }
  });

  it('rejects non-finite numbers even if they reach it as JS values', () => {
    for (const amount of [NaN, Infinity]) {
      const r = validateDecisionRequest({ ...valid, amount });
      expect(r.ok).toBe(false);
    }
  });

  it('rejects bodies that are not objects', () => {
    for (const body of [null, [], 'x', 3]) expect(validateDecisionRequest(body).ok).toBe(false);
  });
});

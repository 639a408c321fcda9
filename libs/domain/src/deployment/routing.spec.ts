import fc from 'fast-check';
import type { DecisionRequest } from '../decision-request';
import { bucketThreshold, routeRequest, routingBucket, ROUTING_BUCKETS } from './routing';

const request = (cardId: string, extra: Partial<DecisionRequest> = {}): DecisionRequest => ({
  transactionId: `tx-${cardId}`,
  occurredAt: '2026-03-03T14:03:00Z',
  amount: 10,
  currency: 'EUR',
  cardId,
  merchantId: 'm-1',
  ...extra,
});
const canary = (trafficPercent: number, deploymentId = 'dep-1') =>
  ({ deploymentId, mode: 'canary', trafficPercent, routingKey: 'cardId' }) as const;

describe('routing', () => {
  it('puts every key in one of 10,000 buckets, the same one every time (sticky)', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.string(), (deploymentId, key) => {
        const b = routingBucket(deploymentId, key);
        expect(Number.isInteger(b) && b >= 0 && b < ROUTING_BUCKETS).toBe(true);
        expect(routingBucket(deploymentId, key)).toBe(b);
      }),
    );
  });

  it('never moves a key back to the champion when the percentage is raised', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }), (card, a, b) => {
        const [low, high] = [Math.min(a, b) / 100, Math.max(a, b) / 100];
        if (routeRequest(canary(low), request(card)).arm === 'challenger') {
          expect(routeRequest(canary(high), request(card)).arm).toBe('challenger');
        }
      }),
    );
  });

  it('splits 100,000 cards close to the percentage, and a new deployment splits them afresh', () => {
    const cards = Array.from({ length: 100_000 }, (_, i) => `card-${i}`);
    const onChallenger = (deploymentId: string) =>
      cards.filter((c) => routeRequest(canary(10, deploymentId), request(c)).arm === 'challenger');
    const first = onChallenger('dep-1');
    expect(first.length / cards.length).toBeGreaterThan(0.095);
    expect(first.length / cards.length).toBeLessThan(0.105);
    const second = new Set(onChallenger('dep-2'));
    const overlap = first.filter((c) => second.has(c)).length / first.length;
    expect(overlap).toBeGreaterThan(0.07); // independent splits overlap by about 10 %
    expect(overlap).toBeLessThan(0.13);
  });

  it('spreads buckets evenly (chi-square over 100 bins well under the 0.1 % critical value)', () => {
    const bins = new Array<number>(100).fill(0);
    const n = 200_000;
    for (let i = 0; i < n; i++) bins[Math.floor(routingBucket('dep-x', `k${i}`) / 100)]++;
    const expected = n / 100;
    const chi2 = bins.reduce((sum, o) => sum + (o - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(148.2); // χ²(99), p = 0.001
  });

  it('routes 0 % to nobody and 100 % to everybody; two decimals are whole buckets', () => {
    expect(routeRequest(canary(0), request('a')).arm).toBe('champion');
    expect(routeRequest(canary(100), request('a')).arm).toBe('challenger');
    expect(bucketThreshold(12.34)).toBe(1234);
  });

  it('keeps requests without a value for the routing key with the champion, unbucketed', () => {
    const byCustomer = { ...canary(100), routingKey: 'customerId' } as const;
    expect(routeRequest(byCustomer, request('a'))).toEqual({ arm: 'champion', bucket: null, shadow: false });
    expect(routeRequest(byCustomer, request('a', { customerId: 'cu-1' })).arm).toBe('challenger');
  });

  it('in shadow mode the champion always decides and the percentage picks which requests are also shadowed', () => {
    const shadow = { ...canary(100), mode: 'shadow' } as const;
    const route = routeRequest(shadow, request('a'));
    expect(route.arm).toBe('champion');
    expect(route.shadow).toBe(true);
    expect(routeRequest({ ...shadow, trafficPercent: 0 }, request('a')).shadow).toBe(false);
  });

  it('without a challenger: champion, no bucket', () => {
    expect(routeRequest(null, request('a'))).toEqual({ arm: 'champion', bucket: null, shadow: false });
  });
});

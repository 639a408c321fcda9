import fc from 'fast-check';
import type { DecisionRequest } from '../decision-request';
import { HISTORY_FEATURES } from './history-features';
import { HistoryState } from './history-state';

const T0 = Date.parse('2026-11-20T12:00:00Z');

const request = (i: number, card: string, atMs: number, amount = 10): DecisionRequest => ({
  transactionId: `tx-${i}`,
  occurredAt: new Date(atMs).toISOString(),
  amount,
  currency: 'EUR',
  cardId: card,
  merchantId: `term-${i % 3}`,
});

describe('HistoryState', () => {
  it('applies the log strictly once, in order, and moves its position past other events', () => {
    const state = new HistoryState(10);
    state.applyDecision(5n, request(1, 'c', T0), 'approve');
    state.applyDecision(5n, request(1, 'c', T0), 'approve'); // redelivered
    state.applyDecision(3n, request(2, 'c', T0), 'approve'); // behind the position
    expect(state.entity('card', 'c')?.window({ name: '24h', bucketMs: 3_600_000, buckets: 24 }, T0).count).toBe(1);
    expect(state.appliedThrough).toBe(5n);
    state.skip(9n);
    expect(state.appliedThrough).toBe(9n);
    state.skip(7n);
    expect(state.appliedThrough).toBe(9n);
  });

  it('forgets the entity least recently touched by a decision when a kind goes over its bound', () => {
    const state = new HistoryState(2);
    state.applyDecision(1n, request(1, 'a', T0), 'approve');
    state.applyDecision(2n, request(2, 'b', T0), 'approve');
    state.applyDecision(3n, request(3, 'a', T0), 'approve'); // a is now the most recent
    state.applyDecision(4n, request(4, 'c', T0), 'approve'); // over the bound: b goes
    expect(state.size('card')).toBe(2);
    expect(state.entity('card', 'b')).toBeUndefined();
    expect(state.entity('card', 'a')).toBeDefined();
    expect(state.entity('card', 'c')).toBeDefined();
    state.applyDecision(5n, request(5, 'b', T0), 'approve'); // b comes back with a new history
    expect(state.entity('card', 'b')?.firstAt).toBe(T0);
    expect(state.entity('card', 'a')).toBeUndefined();
  });

  it('is a function of the log prefix: the same decisions in the same order give the same features', () => {
    const decision = fc.record({
      card: fc.constantFrom('c1', 'c2', 'c3', 'c4'),
      offsetMin: fc.integer({ min: -60 * 24 * 35, max: 60 }),
      amount: fc.double({ min: 0.01, max: 10_000, noNaN: true }),
      declined: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(decision, { maxLength: 120 }), fc.integer({ min: 1, max: 5 }), (log, bound) => {
        const build = () => {
          const s = new HistoryState(bound);
          log.forEach((d, i) => s.applyDecision(BigInt(i + 1), request(i, d.card, T0 + d.offsetMin * 60_000, d.amount), d.declined ? 'decline' : 'approve'));
          return s;
        };
        const a = build();
        const b = build();
        const probe = request(9999, 'c2', T0);
        for (const f of HISTORY_FEATURES) expect(Object.is(f.compute(a, probe, T0), f.compute(b, probe, T0))).toBe(true);
        expect(a.size('card')).toBeLessThanOrEqual(bound);
      }),
      { numRuns: 200 },
    );
  });
});

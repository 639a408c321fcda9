import fc from 'fast-check';
import type { DecisionRequest } from '../decision-request';
import { HISTORY_FEATURES } from './history-features';
import { HistoryState } from './history-state';

const T0 = Date.parse('2026-11-20T12:00:00Z');

const request = (i: number, card: string, atMs: number, amount = 10, customer?: string): DecisionRequest => ({
  transactionId: `tx-${i}`,
  occurredAt: new Date(atMs).toISOString(),
  amount,
  currency: 'EUR',
  cardId: card,
  merchantId: `term-${i % 3}`,
  ...(customer === undefined ? {} : { customerId: customer, deviceId: 'dev-shared', ip: 'ip-shared' }),
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

  it('forgets an erased subject\'s cards and customer wholly, once, in log order; shared devices, IPs and terminals stay', () => {
    const state = new HistoryState(10);
    state.applyDecision(1n, request(1, 'a', T0, 10, 'cust-a'), 'approve');
    state.applyDecision(2n, request(2, 'b', T0, 10, 'cust-b'), 'approve');
    state.forget(3n, { card: ['a', 'never-seen'], customer: ['cust-a'] });
    expect(state.appliedThrough).toBe(3n);
    expect([state.card('a'), state.entity('customer', 'cust-a')]).toEqual([undefined, undefined]);
    expect([state.size('card'), state.size('customer')]).toEqual([1, 1]);
    for (const [kind, id] of [['device', 'dev-shared'], ['ip', 'ip-shared'], ['merchant', 'term-1']] as const) {
      expect(state.entity(kind, id)?.window({ name: '24h', bucketMs: 3_600_000, buckets: 24 }, T0 + 1).count).toBeGreaterThan(0);
    }
    state.applyDecision(4n, request(4, 'a', T0 + 60_000, 10, 'cust-a'), 'approve'); // the subject comes back: anew
    expect(state.card('a')?.firstAt).toBe(T0 + 60_000);
    state.forget(4n, { card: ['a'], customer: [] }); // at or behind the position: applied already
    expect(state.card('a')).toBeDefined();
  });

  it('keeps a decision sealed under an erased key out of the card and customer its erasure forgot, and only those', () => {
    const state = new HistoryState(10);
    const day = { name: '24h', bucketMs: 3_600_000, buckets: 24 } as const;
    state.applyDecision(1n, request(1, 'a', T0, 10, 'cust-a'), 'approve', 'k-a1');
    state.forget(2n, { card: ['a'], customer: ['cust-a'] }, ['k-a1']);
    // Made by an instance that had not seen the erasure: sealed under the destroyed key, logged after it.
    state.applyDecision(3n, request(3, 'a', T0 + 1_000, 10, 'cust-a'), 'decline', 'k-a1');
    expect(state.appliedThrough).toBe(3n);
    expect([state.card('a'), state.entity('customer', 'cust-a')]).toEqual([undefined, undefined]);
    expect(state.entity('device', 'dev-shared')?.window(day, T0 + 2_000).count).toBe(2);
    expect(state.entity('merchant', 'term-0')?.window(day, T0 + 2_000).count).toBe(1);
    // A card the erasure did not forget (a token, kept in the clear) counts it as any other decision.
    state.applyDecision(4n, request(4, 'tok-a', T0 + 3_000, 10, 'cust-a'), 'approve', 'k-a1');
    expect(state.card('tok-a')?.window(day, T0 + 4_000).count).toBe(1);
    expect(state.entity('customer', 'cust-a')).toBeUndefined();
    // The subject back under a new key starts anew, without the late decisions.
    state.applyDecision(5n, request(5, 'a', T0 + 60_000, 10, 'cust-a'), 'approve', 'k-a2');
    expect(state.card('a')?.window(day, T0 + 61_000).count).toBe(1);
    expect(state.entity('customer', 'cust-a')?.window(day, T0 + 61_000).count).toBe(1);
  });

  it('after an erasure, the erased card reads as never seen and every other card as if nothing was erased (property)', () => {
    const decision = fc.record({ card: fc.constantFrom('c1', 'c2', 'c3'), offsetMin: fc.integer({ min: -60 * 24 * 35, max: 0 }), amount: fc.integer({ min: 1, max: 10_000 }) });
    fc.assert(
      fc.property(fc.array(decision, { maxLength: 60 }), fc.constantFrom('c1', 'c2', 'c3'), (log, erased) => {
        const build = () => {
          const s = new HistoryState(10); // above the cards used: no eviction, so the erasure alone makes a difference
          log.forEach((d, i) => s.applyDecision(BigInt(i + 1), request(i, d.card, T0 + d.offsetMin * 60_000, d.amount, `cust-${d.card}`), 'approve'));
          return s;
        };
        const kept = build();
        const forgot = build();
        forgot.forget(BigInt(log.length + 1), { card: [erased], customer: [`cust-${erased}`] });
        const fresh = new HistoryState(10);
        const personal = HISTORY_FEATURES.filter((f) => f.name.startsWith('card_') || f.name.startsWith('customer_'));
        for (const card of ['c1', 'c2', 'c3']) {
          const probe = request(9999, card, T0, 10, `cust-${card}`);
          const expected = card === erased ? fresh : kept;
          for (const f of personal) expect([f.name, f.compute(forgot, probe, T0)]).toEqual([f.name, f.compute(expected, probe, T0)]);
        }
      }),
      { numRuns: 200 },
    );
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

import fc from 'fast-check';
import { decide, type DecideInput } from '../decide';
import type { DecisionRequest } from '../decision-request';
import { definePolicy } from '../policy';
import { HISTORY_FEATURES } from './history-features';
import { applyToHistory, historyAsOf, historyFeatureValues, type LoggedEvent } from './history-log';
import { HistoryState } from './history-state';
import { TEST_MODEL_SNAPSHOT } from '../testing/model-snapshot.fixture';

const policy = definePolicy({ version: 'p1', reviewThreshold: 0.5, declineThreshold: 0.9 });
const T0 = Date.parse('2026-11-20T12:00:00Z');

/** A real DecisionMade (v2, built by decide) for `request`, scored `score`. */
function decisionMade(request: DecisionRequest, score: number): unknown {
  const input: DecideInput = {
    decisionId: `d-${request.transactionId}`,
    request,
    requestHash: 'h',
    featureNames: ['amount'],
    featureValues: Float32Array.from([request.amount]),
    baseline: [0],
    scores: Float32Array.from([score, score]),
    model: TEST_MODEL_SNAPSHOT,
    modelOutputs: {},
    policy,
    decidedAt: request.occurredAt,
    timings: { featuresMs: 0, inferenceMs: 0, totalMs: 0 },
    deployment: { revision: 1, arm: 'champion', bucket: 1 },
  };
  return JSON.parse(JSON.stringify(decide(input)));
}

const request = (i: number, card: string, atMs: number, amount: number): DecisionRequest => ({
  transactionId: `tx-${i}`, occurredAt: new Date(atMs).toISOString(), amount, currency: 'EUR', cardId: card, merchantId: `term-${i % 4}`,
});

describe('the log feeding a history', () => {
  it('applies decisions and skips every other event, moving the position on', () => {
    const state = new HistoryState(10);
    applyToHistory(state, { position: 1n, type: 'DecisionMade', data: decisionMade(request(1, 'c', T0 - 60_000, 10), 0.95) });
    applyToHistory(state, { position: 2n, type: 'TransactionLabelled', data: {} });
    expect(state.appliedThrough).toBe(2n);
    expect(state.card('c')?.declines24h(T0)).toBe(1);
    const label = { schemaVersion: 2, labelId: 'l', transactionId: 'tx-1', decisionId: 'd', merchantId: 'term-1', label: 'fraud', source: 'chargeback', reportedAt: new Date(T0 - 1000).toISOString(), recordedBy: 'x' };
    applyToHistory(state, { position: 3n, type: 'TransactionLabelled', data: label });
    expect(state.fraudReports('term-1')?.fraudAt(T0, 86_400_000)).toBe(1);
    expect(state.appliedThrough).toBe(3n);
  });

  it('recomputes, from the log as of the position a decision recorded, exactly the features it was scored with', async () => {
    const entry = fc.record({ card: fc.constantFrom('a', 'b', 'c'), offsetMin: fc.integer({ min: -60 * 24 * 40, max: 0 }), amount: fc.integer({ min: 1, max: 100_000 }), score: fc.double({ min: 0, max: 1, noNaN: true }), other: fc.boolean(), erase: fc.boolean(), label: fc.option(fc.record({ fraud: fc.boolean(), afterMin: fc.integer({ min: -60 * 24, max: 60 * 24 * 10 }) })) });
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 80 }), async (entries) => {
        // Live: each request is scored against the state as it is, then its decision is appended and applied.
        const live = new HistoryState(2);
        const log: LoggedEvent[] = [];
        const recorded: { asOf: bigint; request: DecisionRequest; values: number[] }[] = [];
        const names = HISTORY_FEATURES.map((f) => f.name);
        entries.forEach((e, i) => {
          if (e.other) {
            const event = { position: BigInt(log.length + 1), type: 'ModelVersionRegistered', data: {} };
            log.push(event);
            applyToHistory(live, event);
          }
          if (e.erase && i % 3 === 0) {
            // The card's subject is erased: the card (and a customer id) are forgotten from here on.
            const data = { schemaVersion: 1, subjectRef: `ps_${e.card}`, keyIds: ['k'], pseudonyms: { cardId: [e.card], customerId: ['c'] }, erasedAt: new Date(T0).toISOString() };
            const event = { position: BigInt(log.length + 1), type: 'SubjectErased', data };
            log.push(event);
            applyToHistory(live, event);
          }
          if (e.label && i > 0) {
            // A label for the previous transaction, at its terminal, reported before or after this one occurs.
            const of = request(i - 1, 'x', T0, 1);
            const data = { schemaVersion: 2, labelId: `l-${i}`, transactionId: of.transactionId, decisionId: 'd', merchantId: of.merchantId, label: e.label.fraud ? 'fraud' : 'legitimate', source: 'chargeback', reportedAt: new Date(T0 + (e.offsetMin + e.label.afterMin) * 60_000).toISOString(), recordedBy: 'x' };
            const event = { position: BigInt(log.length + 1), type: 'TransactionLabelled', data };
            log.push(event);
            applyToHistory(live, event);
          }
          const r = request(i, e.card, T0 + e.offsetMin * 60_000, e.amount / 100);
          recorded.push({ asOf: live.appliedThrough, request: r, values: historyFeatureValues(live, r, names) });
          const event = { position: BigInt(log.length + 1), type: 'DecisionMade', data: decisionMade(r, e.score) };
          log.push(event);
          applyToHistory(live, event);
        });
        for (const d of recorded) {
          const again = historyFeatureValues(await historyAsOf(log, d.asOf, 2), d.request, names);
          again.forEach((v, k) => expect(Object.is(v, d.values[k])).toBe(true));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('forgets an erased subject\'s card and customer, keeps shared devices, and starts the card anew', () => {
    const state = new HistoryState(10);
    const shared = { ...request(1, 'card-x', T0, 10), customerId: 'cust-x', deviceId: 'dev-shared' };
    applyToHistory(state, { position: 1n, type: 'DecisionMade', data: decisionMade(shared, 0.1) });
    applyToHistory(state, { position: 2n, type: 'SubjectErased', data: { schemaVersion: 1, subjectRef: 'ps_s', keyIds: [], pseudonyms: { cardId: ['card-x'], customerId: ['cust-x'] }, erasedAt: new Date(T0).toISOString() } });
    expect(state.appliedThrough).toBe(2n);
    expect(state.card('card-x')).toBeUndefined();
    expect(state.entity('customer', 'cust-x')).toBeUndefined();
    expect(state.entity('device', 'dev-shared')).toBeDefined();
    const next = { ...request(2, 'card-x', T0 + 60_000, 5), customerId: 'cust-x' };
    expect(historyFeatureValues(state, next, ['card_count_24h'])).toEqual([0]);
  });

  it('refuses a feature name it does not know', () => {
    expect(() => historyFeatureValues(new HistoryState(1), request(1, 'c', T0, 1), ['card_count_1y'])).toThrow(RangeError);
  });
});

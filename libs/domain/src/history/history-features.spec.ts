import type { DecisionRequest } from '../decision-request';
import { FEATURE_NAMES } from '../features';
import { HISTORY_FEATURES, NOT_SENT } from './history-features';
import { HistoryState } from './history-state';

const T0 = Date.parse('2026-11-20T12:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

let n = 0;
const request = (atMs: number, amount: number, over: Partial<DecisionRequest> = {}): DecisionRequest => ({
  transactionId: `tx-${++n}`,
  occurredAt: new Date(atMs).toISOString(),
  amount,
  currency: 'EUR',
  cardId: 'card-1',
  merchantId: 'term-1',
  customerId: 'cust-1',
  ...over,
});

const feature = (name: string) => {
  const f = HISTORY_FEATURES.find((d) => d.name === name);
  if (!f) throw new Error(`no feature ${name}`);
  return f;
};

/** The features of `r` as scored against `state` (before r itself is applied). */
const value = (state: HistoryState, name: string, r: DecisionRequest) => feature(name).compute(state, r, Date.parse(r.occurredAt));

describe('history features', () => {
  it('are named once, apart from the request features, each with a description', () => {
    const names = HISTORY_FEATURES.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(FEATURE_NAMES).not.toContain(name);
    for (const f of HISTORY_FEATURES) expect(f.description.length).toBeGreaterThan(20);
    expect(names).toHaveLength(5 * 12 + 4 + 1);
  });

  it('count and sum an entity\'s earlier transactions per window, the current bucket included', () => {
    const state = new HistoryState(100);
    let position = 0n;
    const apply = (r: DecisionRequest, outcome: 'approve' | 'decline' = 'approve') => state.applyDecision(++position, r, outcome);
    apply(request(T0 - 40 * DAY, 1000)); // beyond 30 days
    apply(request(T0 - 20 * DAY, 200));
    apply(request(T0 - 3 * DAY, 30));
    apply(request(T0 - 5 * HOUR, 4));
    apply(request(T0 - 30 * MIN, 0.5));
    apply(request(T0 - 2 * MIN, 0.25));
    const now = request(T0, 99);
    expect(value(state, 'card_count_10m', now)).toBe(1);
    expect(value(state, 'card_amount_10m', now)).toBe(0.25);
    expect(value(state, 'card_count_1h', now)).toBe(2);
    expect(value(state, 'card_count_24h', now)).toBe(3);
    expect(value(state, 'card_amount_24h', now)).toBe(4.75);
    expect(value(state, 'card_count_7d', now)).toBe(4);
    expect(value(state, 'card_count_30d', now)).toBe(5);
    expect(value(state, 'card_amount_30d', now)).toBe(234.75);
    expect(value(state, 'card_seconds_since_last', now)).toBe(120);
    expect(value(state, 'card_age_days', now)).toBe(40);
    expect(value(state, 'card_amount_to_mean_30d', now)).toBeCloseTo(99 / (234.75 / 5), 12);
    // The same histories for the customer and the terminal: every transaction named both.
    expect(value(state, 'customer_count_24h', now)).toBe(3);
    expect(value(state, 'merchant_amount_30d', now)).toBe(234.75);
  });

  it('count a card\'s declines over 24 h', () => {
    const state = new HistoryState(100);
    state.applyDecision(1n, request(T0 - 25 * HOUR, 10), 'decline');
    state.applyDecision(2n, request(T0 - 2 * HOUR, 10), 'decline');
    state.applyDecision(3n, request(T0 - 1 * HOUR, 10), 'approve');
    state.applyDecision(4n, request(T0 - 1 * MIN, 10), 'decline');
    expect(value(state, 'card_declines_24h', request(T0, 5))).toBe(2);
    expect(value(state, 'card_declines_24h', request(T0, 5, { cardId: 'card-2' }))).toBe(0);
  });

  it('count the distinct terminals and countries a card was used at over 24 h', () => {
    const state = new HistoryState(100);
    state.applyDecision(1n, request(T0 - 30 * HOUR, 1, { merchantId: 'term-old', country: 'FR' }), 'approve');
    state.applyDecision(2n, request(T0 - 5 * HOUR, 1, { merchantId: 'term-a', country: 'DE' }), 'approve');
    state.applyDecision(3n, request(T0 - 4 * HOUR, 1, { merchantId: 'term-b', country: 'DE' }), 'approve');
    state.applyDecision(4n, request(T0 - 3 * HOUR, 1, { merchantId: 'term-a' }), 'approve');
    state.applyDecision(5n, request(T0 - 2 * HOUR, 1, { merchantId: 'term-c', country: 'BR' }), 'approve');
    const now = request(T0, 5);
    expect(value(state, 'card_distinct_merchants_24h', now)).toBe(3);
    expect(value(state, 'card_distinct_countries_24h', now)).toBe(2);
    expect(value(state, 'card_distinct_merchants_24h', request(T0, 5, { cardId: 'card-2' }))).toBe(0);
  });

  it('tell a new entity (0, age 0) from one the request does not name (-1)', () => {
    const state = new HistoryState(100);
    state.applyDecision(1n, request(T0 - 30 * MIN, 10, { deviceId: 'dev-1' }), 'approve');
    const fresh = request(T0, 5, { cardId: 'card-new', deviceId: 'dev-new' });
    expect(value(state, 'card_count_24h', fresh)).toBe(0);
    expect(value(state, 'card_age_days', fresh)).toBe(0);
    expect(value(state, 'card_seconds_since_last', fresh)).toBe(NOT_SENT);
    expect(value(state, 'card_amount_to_mean_30d', fresh)).toBe(NOT_SENT);
    expect(value(state, 'device_count_1h', fresh)).toBe(0);
    const noDevice = request(T0, 5);
    expect(value(state, 'device_count_1h', noDevice)).toBe(NOT_SENT);
    expect(value(state, 'device_age_days', noDevice)).toBe(NOT_SENT);
    expect(value(state, 'ip_amount_7d', noDevice)).toBe(NOT_SENT);
    expect(value(state, 'device_count_1h', request(T0, 5, { deviceId: 'dev-1' }))).toBe(1);
  });

  it('never count a transaction that occurred after the one being scored', () => {
    const state = new HistoryState(100);
    state.applyDecision(1n, request(T0 + 2 * HOUR, 10), 'approve'); // decided earlier, occurred later
    const now = request(T0, 5);
    expect(value(state, 'card_count_24h', now)).toBe(0);
    expect(value(state, 'card_seconds_since_last', now)).toBe(0);
  });
});

describe('window edges', () => {
  it('follow whole buckets: an hour ago exactly is outside "the last 1h" (12 five-minute buckets), 55 min ago inside', () => {
    const state = new HistoryState(10);
    state.applyDecision(1n, request(T0 - HOUR, 1), 'approve');
    state.applyDecision(2n, request(T0 - 55 * MIN, 2), 'approve');
    expect(value(state, 'card_count_1h', request(T0, 5))).toBe(1);
    expect(value(state, 'card_amount_1h', request(T0, 5))).toBe(2);
    // Four minutes later the current bucket still starts at 12:00, so the window has not moved.
    expect(value(state, 'card_count_1h', request(T0 + 4 * MIN, 5))).toBe(1);
  });
});

describe('merchant_fraud_labels_28d', () => {
  const label = (transactionId: string, reportedAtMs: number, value: 'fraud' | 'legitimate' = 'fraud', merchantId: string | null = 'term-1') => ({
    transactionId,
    ...(merchantId === null ? {} : { merchantId }),
    label: value,
    reportedAt: new Date(reportedAtMs).toISOString(),
  });
  const labels = (state: HistoryState, atMs: number, merchantId = 'term-1') => value(state, 'merchant_fraud_labels_28d', request(atMs, 5, { merchantId }));

  it('counts a fraud label from its reportedAt, over the 28 days before the transaction, per terminal', () => {
    const state = new HistoryState(10);
    state.applyLabel(1n, label('a', T0 - 30 * DAY)); // beyond 28 days
    state.applyLabel(2n, label('b', T0 - 10 * DAY));
    state.applyLabel(3n, label('c', T0 - 1 * MIN));
    state.applyLabel(4n, label('d', T0 + HOUR)); // recorded now, reported later: not known yet at T0
    state.applyLabel(5n, label('e', T0 - DAY, 'fraud', 'term-2'));
    expect(labels(state, T0)).toBe(2);
    expect(labels(state, T0 + 2 * HOUR)).toBe(3);
    expect(labels(state, T0 - 11 * DAY)).toBe(1); // a, reported 19 days before
    expect(labels(state, T0 - 31 * DAY)).toBe(0);
    expect(labels(state, T0, 'term-2')).toBe(1);
    expect(labels(state, T0, 'term-3')).toBe(0);
    expect(state.appliedThrough).toBe(5n);
  });

  it('counts a transaction once, by the label in force: a later "legitimate" retracts it from its own reportedAt', () => {
    const state = new HistoryState(10);
    state.applyLabel(1n, label('a', T0 - 5 * DAY));
    state.applyLabel(2n, label('a', T0 - 4 * DAY)); // the same transaction again (a review after the chargeback)
    state.applyLabel(3n, label('a', T0 - 2 * DAY, 'legitimate'));
    expect(labels(state, T0 - 3 * DAY)).toBe(1);
    expect(labels(state, T0)).toBe(0);
    // A "legitimate" label for a transaction with no fraud label held is not kept at all.
    state.applyLabel(4n, label('z', T0 - DAY, 'legitimate', 'term-9'));
    expect(state.fraudReports('term-9')).toBeUndefined();
  });

  it('cannot attribute a label without a terminal (schema version 1): it only moves the position', () => {
    const state = new HistoryState(10);
    state.applyLabel(7n, label('a', T0 - DAY, 'fraud', null));
    expect(state.labelledMerchants).toBe(0);
    expect(state.appliedThrough).toBe(7n);
  });

  it('keeps the labels of at most maxEntities terminals, forgetting the least recently labelled', () => {
    const state = new HistoryState(2);
    state.applyLabel(1n, label('a', T0 - DAY, 'fraud', 'm1'));
    state.applyLabel(2n, label('b', T0 - DAY, 'fraud', 'm2'));
    state.applyLabel(3n, label('c', T0 - DAY, 'fraud', 'm1'));
    state.applyLabel(4n, label('d', T0 - DAY, 'fraud', 'm3'));
    expect(state.labelledMerchants).toBe(2);
    expect(labels(state, T0, 'm2')).toBe(0);
    expect(labels(state, T0, 'm1')).toBe(2);
  });
});

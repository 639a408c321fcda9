import { HistoryState, historyFeatureValues, HISTORY_FEATURES } from '../history';
import type { DecisionRequest } from '../decision-request';
import { FeaturePlan } from './build-feature-vector';
import { HistoryValuesMissingError, InvalidFeatureColumnError, UnknownFeatureError } from './feature.errors';
import { resolveFeatureColumn } from './feature-columns';

const request = (over: Partial<DecisionRequest> = {}): DecisionRequest => ({
  transactionId: 'tx-1',
  cardId: 'card-1',
  merchantId: 'm-1',
  amount: 40,
  currency: 'EUR',
  occurredAt: '2026-03-02T10:00:00.000Z',
  ...over,
});

describe('history features as model columns', () => {
  it('resolves every history feature by name, and no default may be given to one', () => {
    for (const f of HISTORY_FEATURES) expect(resolveFeatureColumn(f.name)).toMatchObject({ name: f.name, fromHistory: true });
    expect(() => resolveFeatureColumn({ name: 'card_count_1h', default: 0 })).toThrow(InvalidFeatureColumnError);
    expect(() => resolveFeatureColumn('card_count_2h')).toThrow(UnknownFeatureError);
  });

  it('lists the history columns in column order and builds the row with the values given for them', () => {
    const plan = new FeaturePlan(['amount', 'card_count_1h', 'hour_of_day', 'merchant_amount_24h']);
    expect(plan.usesHistory).toBe(true);
    expect(plan.historyNames).toEqual(['card_count_1h', 'merchant_amount_24h']);
    expect([...plan.build(request(), undefined, 0, [3, 120.5])]).toEqual([40, 3, 10, 120.5]);
    expect(new FeaturePlan(['amount']).usesHistory).toBe(false);
  });

  it('refuses to build a row without exactly one value per history column', () => {
    const plan = new FeaturePlan(['amount', 'card_count_1h']);
    expect(() => plan.build(request())).toThrow(HistoryValuesMissingError);
    expect(() => plan.build(request(), undefined, 0, [1, 2])).toThrow(/needs 1 history feature values \(card_count_1h\), got 2/);
  });

  it('takes the values the log state gives: the same code as serving and training', () => {
    const state = new HistoryState(100);
    state.applyDecision(1n, request({ transactionId: 'a', occurredAt: '2026-03-02T09:40:00.000Z', amount: 10 }), 'approve');
    state.applyDecision(2n, request({ transactionId: 'b', occurredAt: '2026-03-02T09:50:00.000Z', amount: 20 }), 'decline');
    const plan = new FeaturePlan(['card_count_1h', 'card_amount_1h', 'card_declines_24h', 'amount']);
    const row = plan.build(request(), undefined, 0, historyFeatureValues(state, request(), plan.historyNames));
    expect([...row]).toEqual([2, 30, 1, 40]);
  });
});

import type { DecisionRequest } from '../decision-request';
import { FeaturePlan } from './build-feature-vector';
import { resolveFeatures } from './feature-columns';
import { InvalidFeatureColumnError, UnknownFeatureError } from './feature.errors';

const request = (attributes?: DecisionRequest['attributes']): DecisionRequest => ({
  transactionId: 't',
  occurredAt: '2026-01-01T00:00:00Z',
  amount: 12.5,
  currency: 'EUR',
  cardId: 'c',
  merchantId: 'm',
  attributes,
});

describe('feature columns', () => {
  it('mixes registered features and numeric request attributes, with a default for a missing attribute', () => {
    const plan = new FeaturePlan(['amount', 'attributes.risk', { name: 'attributes.age', default: 30 }]);
    expect(plan.names).toEqual(['amount', 'attributes.risk', 'attributes.age']);
    expect(Array.from(plan.build(request({ risk: 0.25 })))).toEqual([12.5, 0.25, 30]);
    expect(Array.from(plan.build(request({ risk: true, age: '41' })))).toEqual([12.5, 1, 41]);
    expect(Array.from(plan.build(request({ risk: 'high', age: '' })))).toEqual([12.5, 0, 30]);
  });

  it('refuses unknown names, defaults on registered features, and columns listed twice', () => {
    expect(() => resolveFeatures(['no_such_feature'])).toThrow(UnknownFeatureError);
    expect(() => resolveFeatures([{ name: 'amount', default: 1 }])).toThrow(InvalidFeatureColumnError);
    expect(() => resolveFeatures(['amount', 'amount'])).toThrow(/listed twice/);
    expect(() => resolveFeatures(['attributes.'])).toThrow(InvalidFeatureColumnError);
  });
});

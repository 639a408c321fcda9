import { upcastDecisionMade, type DecisionMadeV1 } from './decision-made.event';

const v1 = {
  schemaVersion: 1,
  decisionId: 'd',
  transactionId: 't',
  outcome: 'approve',
  score: 0.1,
} as unknown as DecisionMadeV1;

describe('upcastDecisionMade', () => {
  it('reads a version-1 event as version 3: decided by the champion, before deployments (revision 0, no bucket)', () => {
    const e = upcastDecisionMade(v1);
    expect(e.schemaVersion).toBe(3);
    expect(e).not.toHaveProperty('featuresAsOf');
    expect(e.deployment).toEqual({ revision: 0, arm: 'champion', bucket: null });
    expect(e).toMatchObject({ decisionId: 'd', transactionId: 't', outcome: 'approve', score: 0.1 });
    expect(e).not.toHaveProperty('shadow');
  });

  it('reads a version-2 event as version 3 without history features (no featuresAsOf)', () => {
    const v2 = { ...v1, schemaVersion: 2, deployment: { revision: 4, arm: 'challenger', bucket: 17 } };
    expect(upcastDecisionMade(v2)).toEqual({ ...v2, schemaVersion: 3 });
  });

  it('returns a version-3 event as it is', () => {
    const v3 = { ...v1, schemaVersion: 3, deployment: { revision: 4, arm: 'champion', bucket: null }, featuresAsOf: '41', historyMaxEntities: 100 };
    expect(upcastDecisionMade(v3)).toBe(v3);
  });

  it('refuses a version it does not know instead of guessing', () => {
    expect(() => upcastDecisionMade({ ...v1, schemaVersion: 4 })).toThrow(/schema version 4/);
  });
});

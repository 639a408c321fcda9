import { upcastDecisionMade, type DecisionMadeV1 } from './decision-made.event';

const v1 = {
  schemaVersion: 1,
  decisionId: 'd',
  transactionId: 't',
  outcome: 'approve',
  score: 0.1,
} as unknown as DecisionMadeV1;

describe('upcastDecisionMade', () => {
  it('reads a version-1 event as version 4: decided by the champion, before deployments (revision 0, no bucket)', () => {
    const e = upcastDecisionMade(v1);
    expect(e.schemaVersion).toBe(4);
    expect(e).not.toHaveProperty('personal');
    expect(e).not.toHaveProperty('featuresAsOf');
    expect(e.deployment).toEqual({ revision: 0, arm: 'champion', bucket: null });
    expect(e).toMatchObject({ decisionId: 'd', transactionId: 't', outcome: 'approve', score: 0.1 });
    expect(e).not.toHaveProperty('shadow');
  });

  it('reads a version-2 event as version 4 without history features (no featuresAsOf)', () => {
    const v2 = { ...v1, schemaVersion: 2, deployment: { revision: 4, arm: 'challenger', bucket: 17 } };
    expect(upcastDecisionMade(v2)).toEqual({ ...v2, schemaVersion: 4 });
  });

  it('reads a version-3 event as version 4 with its request in the clear (no personal envelope)', () => {
    const v3 = { ...v1, schemaVersion: 3, deployment: { revision: 4, arm: 'champion', bucket: null }, featuresAsOf: '41', historyMaxEntities: 100 };
    expect(upcastDecisionMade(v3)).toEqual({ ...v3, schemaVersion: 4 });
  });

  it('returns a version-4 event as it is', () => {
    const v4 = { ...v1, schemaVersion: 4, deployment: { revision: 4, arm: 'champion', bucket: null }, personal: { subject: 'ps_s', keyId: 'k', iv: 'i', data: 'd' } };
    expect(upcastDecisionMade(v4)).toBe(v4);
  });

  it('refuses a version it does not know instead of guessing', () => {
    expect(() => upcastDecisionMade({ ...v1, schemaVersion: 5 })).toThrow(/schema version 5/);
  });
});

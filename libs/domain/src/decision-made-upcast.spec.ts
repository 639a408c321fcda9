import { upcastDecisionMade, type DecisionMadeV1 } from './decision-made.event';

const v1 = {
  schemaVersion: 1,
  decisionId: 'd',
  transactionId: 't',
  outcome: 'approve',
  score: 0.1,
} as unknown as DecisionMadeV1;

describe('upcastDecisionMade', () => {
  it('reads a version-1 event as version 2: decided by the champion, before deployments (revision 0, no bucket)', () => {
    const e = upcastDecisionMade(v1);
    expect(e.schemaVersion).toBe(2);
    expect(e.deployment).toEqual({ revision: 0, arm: 'champion', bucket: null });
    expect(e).toMatchObject({ decisionId: 'd', transactionId: 't', outcome: 'approve', score: 0.1 });
    expect(e).not.toHaveProperty('shadow');
  });

  it('returns a version-2 event as it is', () => {
    const v2 = { ...v1, schemaVersion: 2, deployment: { revision: 4, arm: 'challenger', bucket: 17 } };
    expect(upcastDecisionMade(v2)).toBe(v2);
  });

  it('refuses a version it does not know instead of guessing', () => {
    expect(() => upcastDecisionMade({ ...v1, schemaVersion: 3 })).toThrow(/schema version 3/);
  });
});

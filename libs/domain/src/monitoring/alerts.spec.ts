import { alertOf, isAlertType } from './alerts';

const at = { id: 'e-1', position: 42n, recordedAt: new Date('2026-12-01T10:00:00Z') };

describe('alerts', () => {
  it('names the model version and says in one line what happened, for each alert type', () => {
    const drift = alertOf({ ...at, type: 'DriftDetected', data: { model: 'm', version: '2', feature: 'hour', psi: 0.31, ks: 0.2, threshold: 0.2, window: { from: '2026-12-01T09:00:00.000Z', to: '2026-12-01T10:00:00.000Z' } } });
    expect(drift).toMatchObject({ alertId: 'e-1', model: 'm', version: '2', position: '42', raisedAt: '2026-12-01T10:00:00.000Z' });
    expect(drift.summary).toBe('Drift on hour of m@2: PSI 0.310 > 0.2 (KS 0.200) in [2026-12-01T09:00:00.000Z, 2026-12-01T10:00:00.000Z)');
    const rollback = alertOf({
      ...at,
      type: 'ChallengerRolledBack',
      data: { schemaVersion: 1, actor: 'canary-analysis', reason: 'error rate 4% > 1%', at: '2026-12-01T10:05:00.000Z', automatic: true, deploymentId: 'd', evidence: null, previous: { challenger: { model: { name: 'm', version: '3' } } } },
    });
    expect(rollback).toMatchObject({ model: 'm', version: '3', raisedAt: '2026-12-01T10:05:00.000Z', summary: 'Challenger m@3 rolled back automatically: error rate 4% > 1%' });
    expect(isAlertType('PerformanceDegraded')).toBe(true);
    expect(isAlertType('DecisionMade')).toBe(false);
  });
});

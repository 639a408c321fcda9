import { canaryAnalysisSchema, judgeWindow, nextAnalysisAction, passingChecksToPromote, populationStabilityIndex, type ArmSample, type CheckResult } from './canary-analysis';

const spec = canaryAnalysisSchema.parse({
  intervalSeconds: 10,
  threshold: 2,
  stepPercent: 20,
  maxPercent: 60,
  autoPromote: true,
  metrics: { maxErrorRate: 0.05, maxP99Ms: 50, maxDeclineRateDelta: 0.1, maxScorePsi: 0.2, minDecisions: 5 },
});
const window = { from: '2026-01-01T00:00:00Z', to: '2026-01-01T00:00:10Z' };
const arm = (n: number, declines: number, score = 0.1, errors = 0, latency = 5): ArmSample => ({
  decisions: n,
  errors,
  declines,
  latenciesMs: new Array<number>(n).fill(latency),
  scores: Array.from({ length: n }, (_, i) => (i < declines ? 0.95 : score)),
});

describe('canary analysis', () => {
  it('passes arms that behave alike', () => {
    const check = judgeWindow(spec, window, arm(100, 5), arm(20, 1));
    expect(check).toMatchObject({ judged: true, passed: true, failures: [], declineRateDelta: 0 });
  });

  it('fails a challenger that declines everything, naming each limit with the observed figure', () => {
    const check = judgeWindow(spec, window, arm(100, 5), arm(20, 20));
    expect(check.judged).toBe(true);
    expect(check.passed).toBe(false);
    expect(check.failures).toEqual(expect.arrayContaining([expect.stringMatching(/^declineRateDelta 0\.95 > 0\.1$/), expect.stringMatching(/^scorePsi \d/)]));
  });

  it('fails on errors and latency too', () => {
    expect(judgeWindow(spec, window, arm(100, 5), arm(20, 1, 0.1, 5)).failures).toEqual([expect.stringMatching(/^errorRate 0\.2 > 0\.05$/)]);
    expect(judgeWindow(spec, window, arm(100, 5), arm(20, 1, 0.1, 0, 80)).failures).toEqual(['p99Ms 80 > 50']);
  });

  it('does not judge an arm with fewer than minDecisions', () => {
    expect(judgeWindow(spec, window, arm(100, 5), arm(4, 4))).toMatchObject({ judged: false, passed: false });
  });

  describe('a challenger whose runs fail', () => {
    // The QA repro: every challenger run failed, and only the figures of its decisions were limited.
    const lax = canaryAnalysisSchema.parse({ ...spec, threshold: 1, metrics: { maxScorePsi: 0.2, maxDeclineRateDelta: 0.1, minDecisions: 3 } });
    const failing = arm(0, 0, 0.1, 11);

    it('fails the window on its errors alone, with no maxErrorRate set, and is rolled back rather than promoted', () => {
      const check = judgeWindow(lax, window, arm(40, 2), failing);
      expect(check).toMatchObject({ judged: true, passed: false, failures: ['errorRate 1 > 0'], challenger: { decisions: 0, errors: 11, errorRate: 1 } });
      expect(nextAnalysisAction(lax, { mode: 'canary', trafficPercent: 20 }, [check])).toEqual({ kind: 'rollback' });
    });

    it('fails on any failed run when no maxErrorRate is set, within maxErrorRate when one is', () => {
      expect(judgeWindow(lax, window, arm(40, 2), arm(20, 1, 0.1, 1)).failures).toEqual(['errorRate 0.047619 > 0']);
      expect(judgeWindow({ ...lax, metrics: { ...lax.metrics, maxErrorRate: 0.05 } }, window, arm(40, 2), arm(20, 1, 0.1, 1))).toMatchObject({ judged: true, passed: true });
    });

    it('counts decisions, not failed runs, toward minDecisions', () => {
      // 4 decisions and 10 failures within a 0.9 limit: too few decisions to judge the rest, and no error failure.
      expect(judgeWindow({ ...spec, metrics: { ...spec.metrics, maxErrorRate: 0.9 } }, window, arm(100, 5), arm(4, 0, 0.1, 10))).toMatchObject({ judged: false, passed: false });
      // Too few runs to judge its failures either.
      expect(judgeWindow(spec, window, arm(100, 5), arm(0, 0, 0.1, 4))).toMatchObject({ judged: false, passed: false });
    });
  });

  it('fails a window where a configured check cannot be computed, instead of skipping the check', () => {
    const noLatencies = { ...arm(20, 1), latenciesMs: [] };
    expect(judgeWindow(spec, window, arm(100, 5), noLatencies)).toMatchObject({ judged: true, passed: false, failures: ['p99Ms cannot be computed'] });
  });

  it('steps up while checks pass, promotes at maxPercent, rolls back at `threshold` failures', () => {
    const pass = { judged: true, passed: true } as CheckResult;
    const fail = { judged: true, passed: false } as CheckResult;
    const skip = { judged: false, passed: false } as CheckResult;
    const canary = (trafficPercent: number) => ({ mode: 'canary' as const, trafficPercent });
    expect(nextAnalysisAction(spec, canary(20), [pass])).toEqual({ kind: 'step', trafficPercent: 40 });
    expect(nextAnalysisAction(spec, canary(50), [pass])).toEqual({ kind: 'step', trafficPercent: 60 });
    expect(nextAnalysisAction(spec, canary(60), [pass])).toEqual({ kind: 'promote' });
    expect(nextAnalysisAction({ ...spec, autoPromote: false }, canary(60), [pass])).toEqual({ kind: 'none' });
    // A canary at 100% leaves the champion no decisions to be judged against: the step that would get there promotes,
    // or without autoPromote is not taken (the canary stays watched below 100%).
    const toAll = { ...spec, stepPercent: 40, maxPercent: 100 };
    expect(nextAnalysisAction(toAll, canary(40), [pass])).toEqual({ kind: 'step', trafficPercent: 80 });
    expect(nextAnalysisAction(toAll, canary(80), [pass])).toEqual({ kind: 'promote' });
    expect(nextAnalysisAction({ ...toAll, autoPromote: false }, canary(80), [pass])).toEqual({ kind: 'none' });
    expect(nextAnalysisAction(spec, canary(20), [fail])).toEqual({ kind: 'none' });
    expect(nextAnalysisAction(spec, canary(20), [fail, skip, pass, fail])).toEqual({ kind: 'rollback' });
    expect(nextAnalysisAction(spec, canary(20), [skip])).toEqual({ kind: 'none' });
    const shadow = { mode: 'shadow' as const, trafficPercent: 100 };
    expect(nextAnalysisAction(spec, shadow, [pass, pass])).toEqual({ kind: 'none' });
    expect(nextAnalysisAction(spec, shadow, [pass, pass, pass])).toEqual({ kind: 'promote' });
    // As many as a canary to 100% needs: 40 → 80 → promote is two.
    expect(nextAnalysisAction(toAll, shadow, [pass])).toEqual({ kind: 'none' });
    expect(nextAnalysisAction(toAll, shadow, [pass, pass])).toEqual({ kind: 'promote' });
  });

  it('counts the passing checks a canary needs, for a shadow to need as many', () => {
    const needs = (stepPercent: number, maxPercent: number) => passingChecksToPromote({ ...spec, stepPercent, maxPercent });
    expect(needs(20, 60)).toBe(3); // 20 → 40 → 60, then promote
    expect(needs(20, 50)).toBe(3); // 20 → 40 → 50, then promote
    expect(needs(30, 100)).toBe(3); // 30 → 60 → 90, then the step to 100 promotes
    expect(needs(50, 100)).toBe(1);
    expect(needs(100, 100)).toBe(1);
    expect(needs(0.1, 1.1)).toBe(11); // not 12: 1.1 / 0.1 is 11.000000000000002 in floating point
  });

  it('PSI is 0 for identical distributions and large for disjoint ones', () => {
    const a = Array.from({ length: 1000 }, (_, i) => (i % 100) / 100);
    expect(populationStabilityIndex(a, a)).toBe(0);
    expect(populationStabilityIndex(a, new Array(1000).fill(0.99))).toBeGreaterThan(2);
    expect(populationStabilityIndex([], a)).toBeNull();
  });

  it('rejects an analysis whose step exceeds its maximum, or a share the routing cannot take', () => {
    expect(canaryAnalysisSchema.safeParse({ ...spec, stepPercent: 80 }).success).toBe(false);
    // A step the deployment would refuse would stall the analysis on its own command.
    expect(canaryAnalysisSchema.safeParse({ ...spec, maxPercent: 66.666 }).success).toBe(false);
    expect(canaryAnalysisSchema.safeParse({ ...spec, stepPercent: 0.001 }).success).toBe(false);
    expect(canaryAnalysisSchema.safeParse({ ...spec, stepPercent: 1.1, maxPercent: 66.67 }).success).toBe(true);
  });
});

import { decide, NonFiniteScoreError, withPersonal, type DecideInput } from './decide';
import { applyPolicy, definePolicy, InvalidPolicyError } from './policy';
import { compactExplanationRows, expandExplanationScores, explainedFeatures, explanationRows, topReasons } from './explanation';
import { canonicalJson, withSortedKeys } from './canonical-json';
import { decisionIdFor, uuidV5 } from './deterministic-id';
import { sealPersonal } from './privacy/protect-request';
import { TEST_MODEL_SNAPSHOT } from './testing/model-snapshot.fixture';

const policy = definePolicy({ version: 'p1', reviewThreshold: 0.5, declineThreshold: 0.9 });

describe('policy', () => {
  it('maps scores to outcomes at the thresholds (inclusive)', () => {
    expect(applyPolicy(0.49, policy)).toBe('approve');
    expect(applyPolicy(0.5, policy)).toBe('review');
    expect(applyPolicy(0.89, policy)).toBe('review');
    expect(applyPolicy(0.9, policy)).toBe('decline');
  });
  it('refuses inconsistent thresholds', () => {
    expect(() => definePolicy({ version: 'x', reviewThreshold: 0.9, declineThreshold: 0.5 })).toThrow(InvalidPolicyError);
    expect(() => definePolicy({ version: '', reviewThreshold: 0.1, declineThreshold: 0.5 })).toThrow(InvalidPolicyError);
    expect(() => definePolicy({ version: 'x', reviewThreshold: NaN, declineThreshold: 0.5 })).toThrow(InvalidPolicyError);
  });
});

describe('explanations', () => {
  it('builds one substituted row per feature', () => {
    const rows = explanationRows(Float32Array.from([1, 2, 3]), [0, 0, 9]);
    expect(Array.from(rows)).toEqual([1, 2, 3, 0, 2, 3, 1, 0, 3, 1, 2, 9]);
  });
  it('runs rows only for features off their baseline, and gives back the full layout of scores', () => {
    const vector = Float32Array.from([1, 0.1, 3]);
    const baseline = [0, 0.1, 9]; // 0.1 is compared as float32, as the model sees it
    const explained = explainedFeatures(vector, baseline);
    expect(explained).toEqual([0, 2]);
    expect(Array.from(compactExplanationRows(vector, baseline, explained))).toEqual(Array.from(Float32Array.from([1, 0.1, 3, 0, 0.1, 3, 1, 0.1, 9])));
    expect(Array.from(expandExplanationScores(Float32Array.from([0.5, 0.25, 0.75]), 3, explained))).toEqual([0.5, 0.25, 0.5, 0.75]);
  });
  it('ranks by absolute contribution, drops zero ones, breaks ties by feature order', () => {
    const reasons = topReasons(['a', 'b', 'c', 'd'], Float32Array.from([1, 2, 3, 4]), Float32Array.from([0.5, 0.3, 0.5, 0.7, 0.3]), 5);
    expect(reasons.map((r) => r.feature)).toEqual(['a', 'c', 'd']);
    expect(reasons[1].contribution).toBeCloseTo(-0.2, 6);
  });
  it('leaves out a feature whose substituted row the model could not score', () => {
    const reasons = topReasons(['a', 'b', 'c'], Float32Array.from([1, 2, 3]), Float32Array.from([0.5, NaN, 0.2, Infinity]), 5);
    expect(reasons.map((r) => r.feature)).toEqual(['b']);
    expect(JSON.parse(JSON.stringify(reasons))).toEqual(reasons);
  });
});

describe('ids and hashing', () => {
  it('uuidV5 matches the RFC 9562 test vector', () => {
    // RFC 9562 appendix A.4: namespace DNS, name "www.example.com"
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });
  it('decision ids are deterministic per transaction', () => {
    // Pinned: stored decisions and event ids derive from Verdict's namespace, so this value may never change.
    expect(decisionIdFor('tx-1')).toBe('0bba6d72-9da7-55b7-a1dc-e5f4f966b351');
    expect(decisionIdFor('tx-1')).toBe(decisionIdFor('tx-1'));
    expect(decisionIdFor('tx-1')).not.toBe(decisionIdFor('tx-2'));
  });
  it('canonical JSON ignores key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[1,{"x":1,"y":2}]},"b":1}');
  });
});

const base: DecideInput = {
  decisionId: 'd-1',
  request: { transactionId: 't', occurredAt: '2026-01-01T00:00:00Z', amount: 10, currency: 'EUR', cardId: 'c', merchantId: 'm' },
  requestHash: 'h',
  featureNames: ['amount', 'hour'],
  featureValues: Float32Array.from([10, 0]),
  baseline: [5, 12],
  scores: Float32Array.from([0.95, 0.2, 0.9]),
  model: TEST_MODEL_SNAPSHOT,
  modelOutputs: {},
  policy,
  decidedAt: '2026-01-01T00:00:01.000Z',
  timings: { featuresMs: 0.1, inferenceMs: 0.2, totalMs: 0.4 },
  deployment: { revision: 3, arm: 'challenger', bucket: 42 },
};

describe('decide', () => {
  it('given a high score, declines and explains it', () => {
    const e = decide(base);
    expect(e.outcome).toBe('decline');
    expect(e.score).toBeCloseTo(0.95, 6);
    expect(e.reasons[0]).toEqual({ feature: 'amount', value: 10, contribution: 0.75 });
    expect(e.features).toEqual({ names: ['amount', 'hour'], values: [10, 0] });
    expect(e.schemaVersion).toBe(4);
    expect(e.deployment).toEqual({ revision: 3, arm: 'challenger', bucket: 42 });
    expect(e).not.toHaveProperty('shadow');
    expect(e).not.toHaveProperty('featuresAsOf');
  });
  it('records the log position history features were read through, and the state bound, when the row has them', () => {
    const e = decide({ ...base, history: { asOf: 12_345_678_901n, maxEntities: 5000 } });
    expect(e).toMatchObject({ featuresAsOf: '12345678901', historyMaxEntities: 5000 });
    const keys = Object.keys(e);
    expect(keys).toEqual([...keys].sort()); // stored as its canonical JSON without a copy
  });
  it('records a shadow verdict beside the decision without changing it', () => {
    const shadow = { model: base.model, policy, score: 0.01, outcome: 'approve' as const, inferenceMs: 0.3 };
    const e = decide({ ...base, shadow });
    expect(e.outcome).toBe('decline');
    expect(e.shadow).toEqual(shadow);
  });
  it('refuses a non-finite score instead of deciding on it', () => {
    expect(() => decide({ ...base, scores: Float32Array.from([NaN, 0, 0]) })).toThrow(NonFiniteScoreError);
  });
  it("shares canonical names and baseline (the loaded model's), and copies any other array so its caller cannot change the event", () => {
    const names = withSortedKeys(['amount', 'hour']);
    const baseline = withSortedKeys([5, 12]);
    const shared = decide({ ...base, featureNames: names, baseline });
    expect(shared.features.names).toBe(names);
    expect(shared.explanation.baseline).toBe(baseline);

    const mutableNames = ['amount', 'hour'];
    const mutableBaseline = [5, 12];
    const copied = decide({ ...base, featureNames: mutableNames, baseline: mutableBaseline });
    expect(copied.features.names).not.toBe(mutableNames);
    mutableNames[0] = 'changed';
    mutableBaseline[0] = 99;
    expect(copied.features.names).toEqual(['amount', 'hour']);
    expect(copied.explanation.baseline).toEqual([5, 12]);
  });
});

describe('withPersonal', () => {
  const personal = { data: 'sealed', iv: 'iv', keyId: 'k1', subject: 'ps_s' };
  // As the engine passes them: the parts every decision shares are sorted once (withSortedKeys).
  const sortedBase: DecideInput = {
    ...base,
    request: withSortedKeys(base.request),
    model: withSortedKeys(base.model),
    policy: withSortedKeys(base.policy),
    deployment: withSortedKeys(base.deployment),
    history: { asOf: 7n, maxEntities: 10 },
  };
  it('puts the sealed part in its sorted place: the event stays in canonical key order, and sorting it copies nothing', () => {
    const event = decide(sortedBase);
    const sealed = withPersonal(event, personal);
    const keys = Object.keys(sealed);
    expect(keys).toEqual([...keys].sort());
    expect(keys.filter((k) => k === 'personal')).toHaveLength(1);
    expect(sealed).toEqual({ ...event, personal });
    expect(withSortedKeys(sealed)).toBe(sealed);
    expect(JSON.stringify(sealed)).toBe(canonicalJson({ ...event, personal }));
    expect(event).not.toHaveProperty('personal'); // the unsealed event is left as it was
  });
  it('takes the envelope sealPersonal makes as it is: sorting the sealed event copies nothing', () => {
    const envelope = sealPersonal({ customerId: 'cust-1' }, 'ps_s', { keyId: 'k1', key: Buffer.alloc(32, 7) }, 'd-1');
    const sealed = withPersonal(decide(sortedBase), envelope);
    expect(withSortedKeys(sealed)).toBe(sealed);
    expect(sealed.personal).toBe(envelope);
  });
  it('replaces a sealed part already there, in place', () => {
    const once = withPersonal(decide(sortedBase), { ...personal, data: 'first' });
    const again = withPersonal(once, personal);
    expect(again.personal).toEqual(personal);
    expect(Object.keys(again)).toEqual(Object.keys(once));
    expect(JSON.stringify(again)).toBe(canonicalJson(again));
  });
});

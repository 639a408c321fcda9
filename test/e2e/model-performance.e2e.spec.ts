import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { randomUUID } from 'node:crypto';
import { decisionRequest, startEngine, type RunningEngine } from '../support/engine-harness';
import { e2eTopologies } from '../support/topologies';

interface Made {
  transactionId: string;
  outcome: 'approve' | 'review' | 'decline';
  score: number;
  model: { name: string; version: string };
  position: number;
  decidedAt: string;
}

/** Precision, recall and FPR per model version against labels as known at a time, over HTTP on every store. */
describe.each(e2eTopologies())('model performance over HTTP ($name)', (topology) => {
  let engine: RunningEngine;
  const made: Made[] = [];
  const now = Date.now();
  const t1 = new Date(now + 60_000).toISOString();
  const t2 = new Date(now + 120_000).toISOString();
  const at = (ms: number) => encodeURIComponent(new Date(ms).toISOString());
  let path: string;

  beforeAll(async () => {
    await topology.setUp?.();
    engine = await startEngine(topology.env());
    // A policy with all three outcomes in play on the demo model's scores.
    const policy = await engine.send('PUT', '/v1/deployment/policy', { target: 'champion', version: `perf-${randomUUID().slice(0, 6)}`, reviewThreshold: 0.01, declineThreshold: 0.05, reason: 'performance test' });
    expect(policy.status).toBe(200);
    for (let i = 0; i < 40; i++) {
      const res = await engine.post('/v1/decisions', decisionRequest({ amount: [3, 80, 950, 4_000, 12_000][i % 5] * (1 + i / 100), channel: i % 2 ? 'ecom' : 'pos', country: i % 3 ? 'DE' : 'NG' }));
      expect(res.status).toBe(201);
      made.push(await res.json());
    }
    const m = made[0].model;
    path = `/v1/models/${m.name}/versions/${m.version}/performance`;
    // First: the declines and every third other decision are fraud (reported at t1); then two fraud verdicts are
    // overturned (reported at t2).
    const fraud = made.filter((d, i) => d.outcome === 'decline' || i % 3 === 0);
    const labels = fraud.map((d) => ({ transactionId: d.transactionId, labelId: 'cb', label: 'fraud', source: 'chargeback', reportedAt: t1, amount: 50 }));
    const overturned = fraud.slice(0, 2).map((d) => ({ transactionId: d.transactionId, labelId: 'appeal', label: 'legitimate', source: 'manual', reportedAt: t2 }));
    const res = await engine.post('/v1/labels/batch', { labels: [...labels, ...overturned] });
    expect((await res.json()).created).toBe(labels.length + overturned.length);
    // The batch appends per transaction concurrently: wait for the newest of them all.
    let newest = 0n;
    for (const d of fraud) {
      const stream = await engine.store.readStream(`decision-${d.transactionId}`);
      if (stream[stream.length - 1].position > newest) newest = stream[stream.length - 1].position;
    }
    await engine.caughtUp(Number(newest));
  }, 120_000);
  afterAll(async () => {
    await engine?.stop();
    await topology.tearDown?.();
  });

  /** The expected confusion, counted by hand from the answers and the labels in force. */
  const expected = (fraud: Set<string>) => {
    const c = { declinedFraud: 0, declinedLegitimate: 0, approvedFraud: 0, approvedLegitimate: 0, reviewedFraud: 0, reviewedLegitimate: 0 };
    for (const d of made) {
      const f = fraud.has(d.transactionId);
      const key = `${d.outcome === 'decline' ? 'declined' : d.outcome === 'review' ? 'reviewed' : 'approved'}${f ? 'Fraud' : 'Legitimate'}` as keyof typeof c;
      c[key]++;
    }
    return c;
  };

  it('counts only labels reported by asOf: none before them, the first ones between, the overturned ones after', async () => {
    const fraudAtT1 = made.filter((d, i) => d.outcome === 'decline' || i % 3 === 0).map((d) => d.transactionId);
    expect(made.some((d) => d.outcome === 'decline') && made.some((d) => d.outcome === 'approve')).toBe(true);

    const before = await (await engine.get(`${path}?asOf=${at(now - 1000)}`)).json();
    expect(before.overall.decisions).toBe(40);
    expect(before.overall.labelled).toEqual({ fraud: 0, legitimate: 0 });
    expect(before.overall.confusion).toEqual(expected(new Set()));
    expect(before.overall.recall).toBeNull();

    const between = await (await engine.get(`${path}?asOf=${at(Date.parse(t1) + 1000)}`)).json();
    expect(between.overall.confusion).toEqual(expected(new Set(fraudAtT1)));
    expect(between.overall.labelled).toEqual({ fraud: fraudAtT1.length, legitimate: 0 });
    const c = between.overall.confusion;
    expect(between.overall.precision).toBeCloseTo(c.declinedFraud / (c.declinedFraud + c.declinedLegitimate));
    expect(between.overall.recall).toBeCloseTo(c.declinedFraud / (c.declinedFraud + c.reviewedFraud + c.approvedFraud));
    expect(between.overall.falsePositiveRate).toBeCloseTo(c.declinedLegitimate / (c.declinedLegitimate + c.reviewedLegitimate + c.approvedLegitimate));
    expect(between.overall.labelCoverage).toBeCloseTo(fraudAtT1.length / 40);
    expect(between.overall.rocAuc).toBeGreaterThan(0);
    expect(between.overall.fraudAmount.caught).toBe(50 * c.declinedFraud);

    const after = await (await engine.get(`${path}?asOf=${at(Date.parse(t2) + 1000)}`)).json();
    expect(after.overall.confusion).toEqual(expected(new Set(fraudAtT1.slice(2))));
    expect(after.overall.labelled).toEqual({ fraud: fraudAtT1.length - 2, legitimate: 2 });
    // Unlabelled decisions left out: only the two overturned ones are known legitimate.
    const excluded = await (await engine.get(`${path}?asOf=${at(Date.parse(t2) + 1000)}&unlabelled=excluded`)).json();
    const e = excluded.overall.confusion;
    expect(e.declinedLegitimate + e.reviewedLegitimate + e.approvedLegitimate).toBe(2);
  });

  it("breaks the figures down by arm and day, and sets them beside the card's", async () => {
    const r = await (await engine.get(`${path}?asOf=${at(Date.parse(t2) + 1000)}&arm=champion`)).json();
    expect(r.window).toMatchObject({ arm: 'champion', unlabelled: 'legitimate' });
    expect(Object.keys(r.byArm)).toEqual(['champion']);
    // Days of the decisions' own decidedAt (UTC), not of the clock now: the suite may run across midnight.
    expect(r.byDay.map((d: { day: string }) => d.day)).toEqual([...new Set(made.map((d) => d.decidedAt.slice(0, 10)))].sort());
    expect(r.byDay.reduce((n: number, d: { figures: { decisions: number } }) => n + d.figures.decisions, 0)).toBe(40);
    expect(r.card.source).toBe('metrics.test');
    expect(r.card.recall).toEqual(expect.any(Number));
    expect(r.againstCard.recall).toBeCloseTo(r.overall.recall - r.card.recall);
    expect((await (await engine.get(`${path}?arm=challenger`)).json()).overall.decisions).toBe(0);

    // The answer is what the published OpenAPI document says it is.
    const doc = await (await engine.get('/openapi.json')).json();
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ $id: 'verdict', components: doc.components }, 'verdict');
    const validate = ajv.getSchema('verdict#/components/schemas/PerformanceReport')!;
    expect(validate(r) ? [] : validate.errors).toEqual([]);
  });

  it('refuses an unknown version and a bad query', async () => {
    const m = made[0].model;
    const missing = await engine.get(`/v1/models/${m.name}/versions/9.9.9/performance`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ type: '/problems/model-version-not-found' });
    const bad = await engine.get(`${path}?asOf=yesterday&arm=blue&extra=1`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors.map((x: { path: string }) => x.path).sort()).toEqual(['/arm', '/asOf', '/extra']);
    expect((await engine.get(`${path}?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z`)).status).toBe(400);
  });
});

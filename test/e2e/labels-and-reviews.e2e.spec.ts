import { randomUUID } from 'node:crypto';
import { decisionIdFor, labelEventIdFor, reviewLabelId, TRANSACTION_LABELLED } from '@verdict/domain';
import { decisionRequest, startEngine, type RunningEngine } from '../support/engine-harness';
import { e2eTopologies } from '../support/topologies';

const PROBLEM = 'application/problem+json';
const as = (actor: string) => ({ 'x-verdict-actor': actor });
const label = (overrides: Record<string, unknown> = {}) => ({ labelId: `cb-${randomUUID().slice(0, 8)}`, label: 'fraud', source: 'chargeback', reportedAt: '2026-12-01T10:00:00Z', ...overrides });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(e2eTopologies())('labels and the review queue over HTTP ($name)', (topology) => {
  let engine: RunningEngine;
  const cardId = `card-rev-${randomUUID().slice(0, 8)}`;

  const decide = async (overrides: Record<string, unknown> = {}) => {
    const res = await engine.post('/v1/decisions', decisionRequest({ cardId, ...overrides }));
    expect(res.status).toBe(201);
    return res.json();
  };

  /**
   * Waits until the read model has applied the transaction's stream. Not the log's head: the sealer appends events no
   * read model handles (a 10,000-label batch triggers a seal), and the checkpoint only moves with handled events.
   */
  const projected = async (transactionId: string) => {
    const stream = await engine.store.readStream(`decision-${transactionId}`);
    await engine.caughtUp(Number(stream[stream.length - 1].position));
  };

  beforeAll(async () => {
    await topology.setUp?.();
    engine = await startEngine(topology.env());
  }, 120_000);
  afterAll(async () => {
    await engine?.stop();
    await topology.tearDown?.();
  });

  describe('labels', () => {
    it('records a label once: 201, the same again 200, other content 409, and never on an unknown transaction', async () => {
      const made = await decide();
      const path = `/v1/transactions/${made.transactionId}/labels`;
      const body = label({ amount: 120.5, note: 'reason code 10.4' });
      const created = await engine.post(path, body, as('chargeback-importer'));
      expect(created.status).toBe(201);
      const stored = await created.json();
      expect(stored).toEqual({ schemaVersion: 2, ...body, reportedAt: '2026-12-01T10:00:00.000Z', transactionId: made.transactionId, decisionId: made.decisionId, merchantId: 'merchant-7', recordedBy: 'admin/chargeback-importer' });

      const again = await engine.post(path, { ...body, reportedAt: '2026-12-01T11:00:00+01:00' });
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual(stored);

      const conflict = await engine.post(path, { ...body, label: 'legitimate' });
      expect(conflict.status).toBe(409);
      expect(conflict.headers.get('content-type')).toContain(PROBLEM);
      expect(await conflict.json()).toMatchObject({ type: '/problems/label-conflict', recorded: stored });

      // A later label supersedes; both are kept, in order.
      const later = label({ label: 'legitimate', source: 'manual', reportedAt: '2026-12-02T10:00:00Z' });
      expect((await engine.post(path, later)).status).toBe(201);
      const listed = await (await engine.get(path)).json();
      expect(listed.labels.map((l: { labelId: string }) => l.labelId)).toEqual([body.labelId, later.labelId]);

      const unknown = await engine.post(`/v1/transactions/no-such-${randomUUID()}/labels`, label());
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toMatchObject({ type: '/problems/transaction-not-found' });
      expect((await engine.get(`/v1/transactions/no-such-${randomUUID()}/labels`)).status).toBe(404);
    });

    it('refuses a bad label with the field paths and records nothing', async () => {
      const made = await decide();
      const head = await engine.store.headPosition();
      const res = await engine.post(`/v1/transactions/${made.transactionId}/labels`, { labelId: '', label: 'maybe', source: 'rumour', reportedAt: '2999-01-01T00:00:00Z', amount: -1, extra: 1 });
      expect(res.status).toBe(400);
      const problem = await res.json();
      expect([...new Set(problem.errors.map((e: { path: string }) => e.path))].sort()).toEqual(['/amount', '/extra', '/label', '/labelId', '/reportedAt', '/source']);
      expect(await engine.store.headPosition()).toBe(head);
    });

    it("refuses label ids in the review queue's namespace (review-…), alone or in a batch, and records nothing", async () => {
      const made = await decide();
      const head = await engine.store.headPosition();
      const single = await engine.post(`/v1/transactions/${made.transactionId}/labels`, label({ labelId: reviewLabelId(made.decisionId) }));
      expect(single.status).toBe(400);
      expect((await single.json()).errors).toEqual([{ path: '/labelId', message: expect.stringContaining('review-') }]);
      const batch = await (await engine.post('/v1/labels/batch', { labels: [{ ...label({ labelId: 'review-anything' }), transactionId: made.transactionId }] })).json();
      expect(batch.results[0]).toMatchObject({ index: 0, status: 400, problem: { errors: [{ path: '/labels/0/labelId' }] } });
      expect(await engine.store.headPosition()).toBe(head);
      expect((await engine.post(`/v1/transactions/${made.transactionId}/labels`, label({ labelId: 'reviewed-77' }))).status).toBe(201);
    });

    it('answers a batch per label, in order, and repeats of the batch are 200s', async () => {
      const a = await decide();
      const b = await decide();
      const conflicting = label();
      expect((await engine.post(`/v1/transactions/${b.transactionId}/labels`, conflicting)).status).toBe(201);
      const labels = [
        { ...label(), transactionId: a.transactionId },
        { ...label(), transactionId: `missing-${randomUUID()}` },
        { ...label({ label: 'nope' }), transactionId: a.transactionId },
        { ...conflicting, label: 'legitimate', transactionId: b.transactionId },
        { ...label({ source: 'customer-report' }), transactionId: b.transactionId },
      ];
      const res = await engine.post('/v1/labels/batch', { labels }, as('importer'));
      expect(res.status).toBe(200);
      const out = await res.json();
      expect(out.results.map((r: { index: number; status: number }) => [r.index, r.status])).toEqual([[0, 201], [1, 404], [2, 400], [3, 409], [4, 201]]);
      expect(out).toMatchObject({ created: 2, repeated: 0, rejected: 3 });
      expect(out.results[2].problem.errors[0].path).toBe('/labels/2/label');
      const again = await (await engine.post('/v1/labels/batch', { labels })).json();
      expect(again.results.map((r: { status: number }) => r.status)).toEqual([200, 404, 400, 409, 200]);
    });

    it('takes 10,000 labels in one batch of up to 8 MiB, and no more', async () => {
      const made = await decide();
      const labels = Array.from({ length: 10_000 }, (_, i) => ({ ...label({ labelId: `bulk-${i}`, note: 'x'.repeat(200) }), transactionId: made.transactionId }));
      const res = await engine.post('/v1/labels/batch', { labels });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ created: 10_000, rejected: 0 });
      expect((await (await engine.get(`/v1/transactions/${made.transactionId}/labels`)).json()).labels).toHaveLength(10_000);
      const tooMany = await engine.post('/v1/labels/batch', { labels: [...labels, labels[0]] });
      expect(tooMany.status).toBe(400);
      const tooLarge = await engine.post('/v1/labels/batch', { labels: labels.map((l) => ({ ...l, note: 'y'.repeat(900) })) });
      expect(tooLarge.status).toBe(413);
    }, 60_000);
  });

  describe('review queue', () => {
    let reviews: { decisionId: string; transactionId: string; score: number }[];

    beforeAll(async () => {
      // Everything to review: no score reaches a decline threshold of 1.
      const policy = await engine.send('PUT', '/v1/deployment/policy', { target: 'champion', version: `all-review-${randomUUID().slice(0, 6)}`, reviewThreshold: 0, declineThreshold: 1, reason: 'review queue test' });
      expect(policy.status).toBe(200);
      reviews = [];
      for (const amount of [5, 2500, 90, 14_000]) reviews.push(await decide({ amount, channel: 'ecom', country: 'NG' }));
      await projected(reviews[3].transactionId);
    });

    it('lists open reviews riskiest first or oldest first, with the list filters', async () => {
      const byScore = await (await engine.get(`/v1/reviews?cardId=${cardId}&order=score`)).json();
      const ids = reviews.map((r) => r.decisionId);
      const expected = [...reviews].sort((x, y) => y.score - x.score || ids.indexOf(x.decisionId) - ids.indexOf(y.decisionId)).map((r) => r.decisionId);
      expect(byScore.items.map((i: { decision: { decisionId: string } }) => i.decision.decisionId)).toEqual(expected);
      expect(byScore.items.every((i: { status: string }) => i.status === 'open')).toBe(true);
      const byAge = await (await engine.get(`/v1/reviews?cardId=${cardId}&order=age&limit=2`)).json();
      expect(byAge.items.map((i: { decision: { decisionId: string } }) => i.decision.decisionId)).toEqual(ids.slice(0, 2));
      const next = await (await engine.get(`/v1/reviews?cardId=${cardId}&order=age&limit=2&cursor=${byAge.nextCursor}`)).json();
      expect(next.items.map((i: { decision: { decisionId: string } }) => i.decision.decisionId)).toEqual(ids.slice(2, 4));
      const bad = await engine.get('/v1/reviews?status=pending&outcome=review');
      expect(bad.status).toBe(400);
      expect((await bad.json()).errors.map((e: { path: string }) => e.path).sort()).toEqual(['/outcome', '/status']);
    });

    it('a claim is exclusive until it lapses; only its holder resolves, once; the resolution records a review label', async () => {
      const [first] = reviews;
      const claim = await engine.post(`/v1/reviews/${first.decisionId}/claim`, {}, as('alice'));
      expect(claim.status).toBe(200);
      expect(await claim.json()).toMatchObject({ decisionId: first.decisionId, reviewer: 'admin/alice' });
      const taken = await engine.post(`/v1/reviews/${first.decisionId}/claim`, {}, as('bob'));
      expect(taken.status).toBe(409);
      expect(await taken.json()).toMatchObject({ type: '/problems/review-claimed', reviewer: 'admin/alice' });
      await projected(first.transactionId);
      const claimed = await (await engine.get(`/v1/reviews?cardId=${cardId}&status=claimed`)).json();
      expect(claimed.items.map((i: { decision: { decisionId: string }; claim: { reviewer: string } }) => [i.decision.decisionId, i.claim.reviewer])).toEqual([[first.decisionId, 'admin/alice']]);

      const overBob = await engine.post(`/v1/reviews/${first.decisionId}/resolution`, { resolution: 'legitimate' }, as('bob'));
      expect(overBob.status).toBe(409);
      const resolved = await engine.post(`/v1/reviews/${first.decisionId}/resolution`, { resolution: 'fraud', note: 'card reported stolen' }, as('alice'));
      expect(resolved.status).toBe(200);
      const { resolved: resolution, label: reviewLabel } = await resolved.json();
      expect(resolution).toMatchObject({ decisionId: first.decisionId, reviewer: 'admin/alice', resolution: 'fraud', note: 'card reported stolen' });
      expect(reviewLabel).toMatchObject({ source: 'review', label: 'fraud', transactionId: first.transactionId, recordedBy: 'review:admin/alice' });
      const twice = await engine.post(`/v1/reviews/${first.decisionId}/resolution`, { resolution: 'fraud' }, as('alice'));
      expect(twice.status).toBe(409);
      expect(await twice.json()).toMatchObject({ type: '/problems/review-resolved' });
      expect((await engine.post(`/v1/reviews/${first.decisionId}/claim`, {}, as('carol'))).status).toBe(409);

      const labels = (await (await engine.get(`/v1/transactions/${first.transactionId}/labels`)).json()).labels;
      expect(labels).toEqual([reviewLabel]);
      await projected(first.transactionId);
      const done = await (await engine.get(`/v1/reviews?cardId=${cardId}&status=resolved`)).json();
      expect(done.items).toHaveLength(1);
      expect(done.items[0]).toMatchObject({ status: 'resolved', claim: null, resolution: { resolution: 'fraud', reviewer: 'admin/alice', note: 'card reported stolen' } });
      const open = await (await engine.get(`/v1/reviews?cardId=${cardId}`)).json();
      expect(open.items.map((i: { decision: { decisionId: string } }) => i.decision.decisionId)).not.toContain(first.decisionId);
    });

    it('an abandoned claim returns to the queue when it lapses', async () => {
      const second = reviews[1];
      expect((await engine.post(`/v1/reviews/${second.decisionId}/claim`, { ttlSeconds: 1 }, as('dave'))).status).toBe(200);
      expect((await engine.post(`/v1/reviews/${second.decisionId}/claim`, {}, as('erin'))).status).toBe(409);
      await sleep(1100);
      await projected(second.transactionId);
      const open = await (await engine.get(`/v1/reviews?cardId=${cardId}&order=age`)).json();
      expect(open.items.map((i: { decision: { decisionId: string } }) => i.decision.decisionId)).toContain(second.decisionId);
      const taken = await engine.post(`/v1/reviews/${second.decisionId}/claim`, {}, as('erin'));
      expect(taken.status).toBe(200);
      expect(await taken.json()).toMatchObject({ reviewer: 'admin/erin' });
    });

    it('a resolution whose label id an earlier client label holds is a 409, not a 503, and records nothing', async () => {
      const wedged = await decide({ amount: 77, channel: 'ecom', country: 'NG' });
      // As recorded before review-… label ids were refused: the client's label holds the review label's event id.
      const streamId = `decision-${wedged.transactionId}`;
      const stream = await engine.store.readStream(streamId);
      const labelId = reviewLabelId(wedged.decisionId);
      const data = { schemaVersion: 2, labelId, transactionId: wedged.transactionId, decisionId: wedged.decisionId, label: 'legitimate', source: 'manual', reportedAt: '2026-12-01T10:00:00.000Z', recordedBy: 'admin/old-importer' };
      await engine.store.appendToStream(streamId, [{ id: labelEventIdFor(wedged.transactionId, labelId), type: TRANSACTION_LABELLED, data, metadata: { schemaVersion: 2 } }], { expectedRevision: stream[stream.length - 1].revision });

      expect((await engine.post(`/v1/reviews/${wedged.decisionId}/claim`, {}, as('frank'))).status).toBe(200);
      const head = await engine.store.headPosition();
      for (let attempt = 0; attempt < 2; attempt++) {
        const res = await engine.post(`/v1/reviews/${wedged.decisionId}/resolution`, { resolution: 'fraud' }, as('frank'));
        expect(res.status).toBe(409);
        expect(res.headers.get('content-type')).toContain(PROBLEM);
        expect(await res.json()).toMatchObject({ type: '/problems/review-label-taken', recorded: data });
      }
      expect(await engine.store.headPosition()).toBe(head);
    });

    it('refuses decisions that are not in the queue, and bad bodies', async () => {
      expect((await engine.post(`/v1/reviews/${randomUUID()}/claim`, {}, as('alice'))).status).toBe(404);
      expect((await engine.post('/v1/reviews/not-an-id/claim', {}, as('alice'))).status).toBe(404);
      const bad = await engine.post(`/v1/reviews/${reviews[2].decisionId}/resolution`, { resolution: 'maybe', extra: true }, as('alice'));
      expect(bad.status).toBe(400);
      expect(decisionIdFor(reviews[2].transactionId)).toBe(reviews[2].decisionId);
    });
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DECISION_MADE, ERASED, SUBJECT_ERASED, upcastDecisionMade, type DecisionMade } from '@verdict/domain';
import type { EventStore, RecordedEvent } from '@verdict/event-store';
import { decisionRequest, startEngine, type RunningEngine } from '../support/engine-harness';
import { graphql } from '../support/graphql-client';
import { e2eTopologies } from '../support/topologies';

/** Personal values of the two customers; none of them may appear in the log in the clear. */
const ERASED_ONE = { customerId: 'cust-erase-9f3', cardId: 'card-erase-4417', deviceId: 'device-erase-77', ip: '198.51.100.23' };
const KEPT_ONE = { customerId: 'cust-keep-2c1', cardId: 'card-keep-5521', deviceId: 'device-keep-12', ip: '203.0.113.9' };

async function logOf(store: EventStore): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for (let after = 0n; ; ) {
    const page = await store.readAll({ after, maxCount: 500 });
    if (page.length === 0) return out;
    out.push(...page);
    after = (page.at(-1) as RecordedEvent).position;
  }
}

async function replayAll(engine: RunningEngine): Promise<{ counts: Record<string, number> }> {
  const accepted = await engine.post('/v1/replays', { mode: 'recorded' });
  expect(accepted.status).toBe(202);
  const { replayId } = await accepted.json();
  for (;;) {
    const state = await (await engine.get(`/v1/replays/${replayId}`)).json();
    if (state.status !== 'running') return state.report;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until a seal covers `position` (the sealer runs every 0.2 s here). */
async function sealed(engine: RunningEngine, decisionId: string): Promise<void> {
  for (const until = Date.now() + 15_000; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
    if ((await engine.get(`/v1/decisions/${decisionId}/proof`)).status === 200) return;
  }
  throw new Error(`no seal covered decision ${decisionId}`);
}

/**
 * Erasure end to end (docs/security.md, "Erasure"): personal values never reach the log in the clear; after
 * POST /v1/subjects/{id}/erasure every read shows the subject's values as erased and nobody else's, the seals still
 * verify, replay is still bit for bit, history forgets the subject's card, and a rebuild does not bring anything back.
 */
describe.each(e2eTopologies())('erasure of a data subject ($name)', (topology) => {
  let engine: RunningEngine;
  const decisions: { id: string; tx: string; subject: 'erased' | 'kept'; position: number }[] = [];

  beforeAll(async () => {
    await topology.setUp?.();
    engine = await startEngine({ ...topology.env(), VERDICT_SEAL_INTERVAL_SECONDS: '0.2', VERDICT_PERSONAL_ATTRIBUTES: 'email' });
    for (let i = 0; i < 6; i++) {
      const subject = i % 2 === 0 ? 'erased' : 'kept';
      const who = subject === 'erased' ? ERASED_ONE : KEPT_ONE;
      const res = await engine.post('/v1/decisions', decisionRequest({ ...who, amount: 10 + i, attributes: { email: `${who.customerId}@example.com`, cardCountry: 'FR' } }));
      expect(res.status).toBe(201);
      const body = await res.json();
      decisions.push({ id: body.decisionId, tx: body.transactionId, subject, position: body.position });
    }
    await engine.caughtUp(decisions.at(-1)!.position);
  }, 60_000);

  afterAll(async () => {
    await engine?.stop();
    await topology.tearDown?.();
  });

  it('keeps personal values out of the log: pseudonyms in the request, the clear values sealed in `personal`', async () => {
    const text = JSON.stringify((await logOf(engine.store)).map((e) => e.data));
    for (const value of [...Object.values(ERASED_ONE), ...Object.values(KEPT_ONE), 'example.com']) expect(text).not.toContain(value);
    const [event] = await engine.store.readStream(`decision-${decisions[0]!.tx}`);
    const stored = upcastDecisionMade(event!.data);
    expect(stored.schemaVersion).toBe(4);
    expect(stored.request.cardId).toMatch(/^ps_/);
    expect(stored.personal).toMatchObject({ subject: expect.stringMatching(/^ps_/), keyId: expect.any(String), iv: expect.any(String), data: expect.any(String) });
  });

  it('shows the clear values to readers while the subject is not erased', async () => {
    const record = await (await engine.get(`/v1/decisions/${decisions[0]!.id}`)).json();
    expect(record.request).toMatchObject({ ...ERASED_ONE, attributes: { email: `${ERASED_ONE.customerId}@example.com`, cardCountry: 'FR' } });
    expect(record.storedRequest.cardId).toMatch(/^ps_/);
    const list = await (await engine.get(`/v1/decisions?cardId=${ERASED_ONE.cardId}`)).json();
    expect(list.items).toHaveLength(3);
    expect(list.items.every((d: { cardId: string; customerId: string }) => d.cardId === ERASED_ONE.cardId && d.customerId === ERASED_ONE.customerId)).toBe(true);
  });

  describe('after POST /v1/subjects/{id}/erasure', () => {
    let erasure: { subjectRef: string; keysDestroyed: number; valuesDestroyed: number; position: string };

    beforeAll(async () => {
      await sealed(engine, decisions.at(-1)!.id);
      const res = await engine.post(`/v1/subjects/${ERASED_ONE.customerId}/erasure`, { reason: 'GDPR art. 17 request #42' });
      expect(res.status).toBe(200);
      erasure = await res.json();
      await engine.caughtUp(Number(erasure.position));
    }, 30_000);

    it('answers with what it destroyed and records SubjectErased, naming no personal value', async () => {
      expect(erasure).toMatchObject({ subjectRef: expect.stringMatching(/^ps_/), keysDestroyed: 1, valuesDestroyed: 5 });
      const [event] = await engine.store.readStream(`erasure-${erasure.subjectRef}`);
      expect(event).toMatchObject({ type: SUBJECT_ERASED, data: { subjectRef: erasure.subjectRef, keyIds: [expect.any(String)] } });
      const data = event!.data as { pseudonyms: { cardId: string[]; customerId: string[] } };
      expect(data.pseudonyms.cardId).toHaveLength(1);
      expect(data.pseudonyms.customerId).toHaveLength(1);
      expect(JSON.stringify(event!.data)).not.toContain(ERASED_ONE.customerId);
    });

    it('keeps every event, and single reads show the subject erased and the other subject in the clear', async () => {
      for (const d of decisions) {
        const record = await (await engine.get(`/v1/transactions/${d.tx}/decision`)).json();
        if (d.subject === 'erased') {
          expect(record.request).toMatchObject({ cardId: ERASED, customerId: ERASED, deviceId: ERASED, ip: ERASED, attributes: { email: ERASED, cardCountry: 'FR' } });
        } else expect(record.request).toMatchObject(KEPT_ONE);
        expect(record.outcome).toEqual(expect.any(String));
        expect(record.features.values.length).toBeGreaterThan(0);
      }
    });

    it('lists, filters, the decision context and GraphQL show the fields as erased', async () => {
      const list = await (await engine.get('/v1/decisions?limit=100')).json();
      const mine = list.items.filter((i: { decisionId: string }) => decisions.some((d) => d.id === i.decisionId && d.subject === 'erased'));
      expect(mine).toHaveLength(3);
      expect(mine.every((i: { cardId: string; customerId: string }) => i.cardId === ERASED && i.customerId === ERASED)).toBe(true);
      expect((await (await engine.get(`/v1/decisions?cardId=${ERASED_ONE.cardId}`)).json()).items).toEqual([]);
      expect((await (await engine.get(`/v1/decisions?cardId=${KEPT_ONE.cardId}`)).json()).items).toHaveLength(3);
      const context = await (await engine.get(`/v1/decisions/${decisions[0]!.id}/context`)).json();
      expect(context.decision.request.cardId).toBe(ERASED);
      expect(context.card.cardId).toBe(ERASED);
      expect(JSON.stringify(context)).not.toContain(ERASED_ONE.cardId);
      const answer = await graphql(engine, `{ decisions(first: 50) { edges { node { decisionId cardId customerId } } } }`);
      const nodes = (answer.body.data as { decisions: { edges: { node: { decisionId: string; cardId: string; customerId: string } }[] } }).decisions.edges.map((e) => e.node);
      for (const d of decisions) {
        const node = nodes.find((n) => n.decisionId === d.id);
        expect(node?.cardId).toBe(d.subject === 'erased' ? ERASED : KEPT_ONE.cardId);
      }
      // These reads named the cards in their filters: the access log holds their pseudonyms, nothing in the clear.
      const text = JSON.stringify((await logOf(engine.store)).map((e) => [e.data, e.metadata]));
      for (const value of [...Object.values(ERASED_ONE), ...Object.values(KEPT_ONE)]) expect(text).not.toContain(value);
    });

    it('still verifies every seal, and replays every decision bit for bit', async () => {
      const verification = await (await engine.post('/v1/audit/verifications', {})).json();
      expect(verification).toMatchObject({ clean: true, findings: [] });
      const report = await replayAll(engine);
      expect(report.counts).toMatchObject({ decisions: 6, identical: 6, mismatched: 0 });
    }, 60_000);

    it('lets the subject come back under a new key, and forgets its card history from before', async () => {
      const res = await engine.post('/v1/decisions', decisionRequest({ ...ERASED_ONE, amount: 99 }));
      expect(res.status).toBe(201);
      const body = await res.json();
      const record = await (await engine.get(`/v1/decisions/${body.decisionId}`)).json();
      expect(record.request).toMatchObject(ERASED_ONE);
      expect(record.personal.keyId).not.toBe((upcastDecisionMade((await engine.store.readStream(`decision-${decisions[0]!.tx}`))[0]!.data) as DecisionMade).personal?.keyId);
      const feature = (name: string) => record.features.values[record.features.names.indexOf(name)];
      if (record.features.names.includes('card_count_24h')) expect(feature('card_count_24h')).toBe(0);
      const earlier = await (await engine.get(`/v1/decisions/${decisions[0]!.id}`)).json();
      expect(earlier.request.cardId).toBe(ERASED);
    });

    it('erasing again is harmless', async () => {
      const res = await engine.post(`/v1/subjects/${ERASED_ONE.customerId}/erasure`, {});
      expect(res.status).toBe(200);
      expect((await res.json()).subjectRef).toBe(erasure.subjectRef);
    });
  });

  it('refuses a bad erasure request with problem+json and writes nothing', async () => {
    // The sealer and the access log append on their own: count what an erasure would write.
    const erasures = async () => (await logOf(engine.store)).filter((e) => e.type === SUBJECT_ERASED).length;
    const before = await erasures();
    const bad = await engine.post('/v1/subjects/someone/erasure', { reason: 5 });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect((await bad.json()).errors[0].path).toBe('/reason');
    const tooLong = await engine.post(`/v1/subjects/${'x'.repeat(129)}/erasure`, {});
    expect(tooLong.status).toBe(400);
    const decideKey = await engine.createKey('erasure-tester', ['decide', 'analyze', 'audit', 'operate']);
    const forbidden = await engine.post('/v1/subjects/someone/erasure', {}, { authorization: `Bearer ${decideKey}` });
    expect(forbidden.status).toBe(403);
    expect(await erasures()).toBe(before);
  });
});

/** A rebuild from the log after an erasure: the read models come back without the subject's values. */
describe('erasure survives a rebuild of the read models (sqlite)', () => {
  it('shows the subject erased after the read models are rebuilt from the log', async () => {
    const dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'verdict-erasure-')), 'data');
    try {
      let engine = await startEngine({ VERDICT_DATA_DIR: dataDir });
      const made: string[] = [];
      for (const who of [ERASED_ONE, KEPT_ONE, ERASED_ONE]) made.push((await (await engine.post('/v1/decisions', decisionRequest(who))).json()).decisionId);
      const erased = await (await engine.post(`/v1/subjects/${ERASED_ONE.customerId}/erasure`, {})).json();
      await engine.caughtUp(Number(erased.position));
      await engine.stop();
      rmSync(path.join(dataDir, 'read-models.sqlite'), { force: true });
      engine = await startEngine({ VERDICT_DATA_DIR: dataDir });
      const head = (await logOf(engine.store)).filter((e) => e.type === DECISION_MADE || e.type === SUBJECT_ERASED).at(-1)!.position;
      await engine.caughtUp(Number(head));
      const items = (await (await engine.get('/v1/decisions?limit=100')).json()).items as { decisionId: string; cardId: string }[];
      expect(items.find((i) => i.decisionId === made[0])?.cardId).toBe(ERASED);
      expect(items.find((i) => i.decisionId === made[2])?.cardId).toBe(ERASED);
      expect(items.find((i) => i.decisionId === made[1])?.cardId).toBe(KEPT_ONE.cardId);
      await engine.stop();
    } finally {
      rmSync(path.dirname(dataDir), { recursive: true, force: true });
    }
  }, 60_000);
});

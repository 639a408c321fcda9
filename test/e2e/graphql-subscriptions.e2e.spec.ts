import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import type { SqliteEventStore } from '@verdict/event-store';
import { decisionRequest, startEngine, type RunningEngine } from '../support/engine-harness';
import { DECISION_FIELDS as FIELDS, DECISION_SUBSCRIBERS as SUBSCRIBERS, metricReaches, subscribe, wsClient } from '../support/graphql-client';
import { TEST_PG_URL } from '../support/service-probe';
import { e2eTopologies } from '../support/topologies';

/** Scores 0.64 under the demo model: a decline under the thresholds the streaming test deploys (default: 0.001). */
const RISKY = { amount: 1899, currency: 'USD', channel: 'ecom', country: 'BR', merchantCategory: '5967', attributes: { cardCountry: 'US' } };

/** The decisionMade subscription with a real graphql-ws client, fed by decisions made through REST. */
describe.each(e2eTopologies())('GraphQL subscriptions over WebSocket ($name)', (topology) => {
  let engine: RunningEngine;
  let stopped = false;

  const decide = async (overrides: Record<string, unknown> = {}) => {
    const res = await engine.post('/v1/decisions', decisionRequest(overrides));
    expect(res.status).toBe(201);
    return res.json();
  };

  beforeAll(async () => {
    await topology.setUp?.();
    engine = await startEngine(topology.env());
  }, 120_000);
  afterAll(async () => {
    if (!stopped) await engine?.stop();
    await topology.tearDown?.();
  });

  it('streams decisions made through REST to decisionMade subscribers, each through its filter', async () => {
    const liveCard = `card-live-${randomUUID().slice(0, 8)}`;
    const merchantId = `merchant-live-${randomUUID().slice(0, 8)}`;
    // Thresholds that make RISKY a decline and the default request an approve, whatever earlier tests deployed.
    const policy = await engine.send('PUT', '/v1/deployment/policy', { target: 'champion', version: `live-${randomUUID().slice(0, 6)}`, reviewThreshold: 0.3, declineThreshold: 0.5, reason: 'graphql subscription test' });
    expect(policy.status).toBe(200);
    const client = wsClient(engine);
    try {
      const query = `subscription($f: DecisionMadeFilter) { decisionMade(filter: $f) { ${FIELDS} labels { labelId } policy { version } } }`;
      const everything = subscribe(client, query);
      const byCard = subscribe(client, query, { f: { cardId: liveCard } });
      const declines = subscribe(client, 'subscription { decisionMade(filter: { outcome: decline }) { decisionId outcome } }');
      const risky = subscribe(client, query, { f: { minScore: 0.5, merchantId } });
      await metricReaches(engine, SUBSCRIBERS, 4);

      const a = await decide({ cardId: liveCard });
      const b = await decide({ ...RISKY, merchantId });
      const c = await decide({ ...RISKY, cardId: liveCard });
      const d = await decide({ merchantId });
      expect([a.outcome, b.outcome, c.outcome, d.outcome]).toEqual(['approve', 'decline', 'decline', 'approve']);
      expect(b.score).toBeGreaterThanOrEqual(0.5);
      expect(d.score).toBeLessThan(0.5);

      const ids = async (sub: ReturnType<typeof subscribe>, n: number) => {
        const out: unknown[] = [];
        for (let i = 0; i < n; i++) {
          const r = await sub.next();
          expect(r.done).toBe(false);
          out.push(r.value);
        }
        return out;
      };
      const all = (await ids(everything, 4)) as { data: { decisionMade: Record<string, unknown> } }[];
      expect(all.map((r) => r.data.decisionMade.decisionId)).toEqual([a, b, c, d].map((x) => x.decisionId));
      expect(all[0].data.decisionMade).toMatchObject({
        decisionId: a.decisionId,
        transactionId: a.transactionId,
        position: String(a.position),
        outcome: a.outcome,
        score: a.score,
        cardId: liveCard,
        decidedAt: a.decidedAt,
        model: a.model,
        labels: [],
        policy: { version: a.policy.version },
      });
      expect(((await ids(byCard, 2)) as { data: { decisionMade: { decisionId: string } } }[]).map((r) => r.data.decisionMade.decisionId)).toEqual([a.decisionId, c.decisionId]);
      expect(((await ids(declines, 2)) as { data: { decisionMade: { decisionId: string } } }[]).map((r) => r.data.decisionMade.decisionId)).toEqual([b.decisionId, c.decisionId]);
      expect(((await ids(risky, 1)) as { data: { decisionMade: { decisionId: string } } }[]).map((r) => r.data.decisionMade.decisionId)).toEqual([b.decisionId]);

      // One more decision that only `everything` takes: the filtered ones were not handed a–d's neighbours.
      const e = await decide({ merchantId: `${merchantId}-other` });
      expect(((await everything.next()).value as { data: { decisionMade: { decisionId: string } } }).data.decisionMade.decisionId).toBe(e.decisionId);
      await Promise.all([everything.stop(), byCard.stop(), declines.stop(), risky.stop()]);
      await metricReaches(engine, SUBSCRIBERS, 0);
    } finally {
      await client.dispose();
    }
  });

  it('refuses an invalid subscription over WebSocket and opens nothing for it', async () => {
    const client = wsClient(engine);
    try {
      await expect(subscribe(client, 'subscription { decisionMade { nope } }').next()).rejects.toEqual([
        expect.objectContaining({ message: expect.stringContaining('Cannot query field "nope"') }),
      ]);
      await expect(subscribe(client, 'subscription { decisionMade(filter: { minScore: 2 }) { decisionId } }').next()).rejects.toEqual([
        expect.objectContaining({ extensions: expect.objectContaining({ code: 'invalid-query' }) }),
      ]);
      await metricReaches(engine, SUBSCRIBERS, 0);
    } finally {
      await client.dispose();
    }
  });

  it('releases a closed client: its subscriptions end and the shared event store subscription closes', async () => {
    const client = wsClient(engine);
    const sub = subscribe(client, 'subscription { decisionMade { decisionId } }');
    subscribe(client, 'subscription { decisionMade { outcome } }');
    await metricReaches(engine, SUBSCRIBERS, 2);
    const first = await decide();
    expect(((await sub.next()).value as { data: { decisionMade: { decisionId: string } } }).data.decisionMade.decisionId).toBe(first.decisionId);
    await client.dispose();
    await metricReaches(engine, SUBSCRIBERS, 0);
    if (engine.config.eventStore.kind === 'sqlite') {
      // The engine's own store: the feed's subscription was its only one.
      const store = engine.store as SqliteEventStore;
      const until = Date.now() + 10_000;
      while (store.stats().openSubscriptions > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(store.stats().openSubscriptions).toBe(0);
    }
  });

  const breakable = !topology.name.startsWith('esdb');
  (breakable ? it : it.skip)("ends the subscribers' streams with an error when the store fails, and serves new subscribers once it is back", async () => {
    const client = wsClient(engine);
    try {
      const sub = subscribe(client, 'subscription { decisionMade { decisionId } }');
      await metricReaches(engine, SUBSCRIBERS, 1);
      const { rename, restore } = await breakEventsTable(engine);
      try {
        await rename();
        // Reading the log fails on the feed's next read (a wake-up or its poll): the error reaches the client.
        await expect(sub.next()).rejects.toEqual([expect.objectContaining({ message: expect.stringContaining('The decisionMade stream stopped'), extensions: { code: 'event-store-unavailable' } })]);
        await metricReaches(engine, SUBSCRIBERS, 0);
      } finally {
        await restore();
      }
      const again = subscribe(client, 'subscription { decisionMade { decisionId } }');
      await metricReaches(engine, SUBSCRIBERS, 1);
      const d = await decide();
      expect(((await again.next()).value as { data: { decisionMade: { decisionId: string } } }).data.decisionMade.decisionId).toBe(d.decisionId);
      await again.stop();
    } finally {
      await client.dispose();
    }
  });

  it('completes every subscription when the engine shuts down', async () => {
    const client = wsClient(engine);
    try {
      const sub = subscribe(client, 'subscription { decisionMade { decisionId } }');
      await metricReaches(engine, SUBSCRIBERS, 1);
      stopped = true;
      await engine.stop();
      expect(await sub.next()).toEqual({ done: true, value: undefined });
    } finally {
      await client.dispose();
    }
  });
});

/** Renames the events table under the running engine (a real failure of every read of the log), and back. */
async function breakEventsTable(engine: RunningEngine): Promise<{ rename(): Promise<void>; restore(): Promise<void> }> {
  if (engine.config.eventStore.kind === 'sqlite') {
    const db = new Database(path.join(engine.dataDir, 'events.sqlite'));
    return {
      rename: async () => void db.exec('ALTER TABLE events RENAME TO events_broken'),
      restore: async () => {
        db.exec('ALTER TABLE events_broken RENAME TO events');
        db.close();
      },
    };
  }
  const admin = new PgClient({ connectionString: TEST_PG_URL });
  await admin.connect();
  const schema = engine.config.eventStore.schema;
  return {
    rename: async () => void (await admin.query(`ALTER TABLE "${schema}".events RENAME TO events_broken`)),
    restore: async () => {
      await admin.query(`ALTER TABLE "${schema}".events_broken RENAME TO events`);
      await admin.end();
    },
  };
}

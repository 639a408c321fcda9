import { randomUUID } from 'node:crypto';
import { WrongExpectedRevisionError } from '../event-store.errors';
import type { AllSubscription, EventData, RecordedEvent } from '../event-store.port';
import { createPostgresEventStore, type PostgresEventStore } from './postgres-event-store';
import { APPEND_LOCK_CLASS } from './postgres-schema';
import { TEST_PG_URL, TestSchemas, eventually, probeTestDatabase, withClient } from './testing/postgres-test-database';

/**
 * The global log under concurrent writers from separate pools (standing in for separate processes): readers must see
 * every event exactly once, in increasing position order. PostgreSQL lets transactions commit out of the order they
 * allocated positions in; these tests hold transactions open between insert and COMMIT so that any reader which could
 * move past a late committer would do so.
 */
const db = probeTestDatabase();
const describePg = db.available ? describe : describe.skip;
const schemas = new TestSchemas();

const ev = (data: Record<string, unknown> = {}): EventData => ({ id: randomUUID(), type: 'Ordered', data });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Collects a subscription in the background; `until` waits (bounded) for a condition, then closes it and returns what
 * arrived, so that a reader which skipped an event fails the caller's assertions with a count, not a bare timeout.
 */
function collect(subscription: AllSubscription): {
  until(what: string, done: (received: RecordedEvent[]) => boolean): Promise<RecordedEvent[]>;
} {
  const received: RecordedEvent[] = [];
  const consumed = (async () => {
    for await (const e of subscription) received.push(e);
  })();
  consumed.catch(() => undefined); // awaited in until(); a failed run must not also report an unhandled rejection
  return {
    async until(what, done) {
      await Promise.race([eventually(what, async () => done(received), 20_000).catch(() => undefined), consumed]);
      await subscription.close();
      await consumed;
      return received;
    },
  };
}

function expectExactlyOnceInOrder(seen: RecordedEvent[], expectedIds: Set<string>, label: string): void {
  const positions = seen.map((e) => e.position);
  const firstDescent = positions.findIndex((p, i) => i > 0 && p <= positions[i - 1]);
  expect({ label, firstDescent }).toEqual({ label, firstDescent: -1 });
  const ids = seen.map((e) => e.id);
  expect({ label, duplicates: ids.length - new Set(ids).size }).toEqual({ label, duplicates: 0 });
  const seenIds = new Set(ids);
  const missing = [...expectedIds].filter((id) => !seenIds.has(id));
  expect({ label, missing: missing.length, unexpected: ids.filter((id) => !expectedIds.has(id)).length }).toEqual({
    label,
    missing: 0,
    unexpected: 0,
  });
}

describePg('PostgresEventStore global-log order under concurrent writers', () => {
  afterAll(async () => {
    await schemas.dropAll();
  });

  it('does not let readers pass a transaction that has inserted but not yet committed', async () => {
    const schema = schemas.next();
    const writer = await createPostgresEventStore({ connectionString: TEST_PG_URL, schema, poolSize: 2 });
    const reader = await createPostgresEventStore({ connectionString: TEST_PG_URL, schema, poolSize: 2, pollIntervalMs: 20 });
    const slow = ev({ who: 'raw' });
    const fast = ev({ who: 'adapter' });
    try {
      await writer.appendToStream('before', [ev()], { expectedRevision: 'no_stream' });
      const live = collect(reader.subscribeToAll());
      await withClient(async (raw) => {
        // Another process's writer: it inserts through the same function, then keeps its transaction open.
        await raw.query('BEGIN');
        const payload = JSON.stringify([{ s: 'slow', e: 'any', ev: [{ ...slow, metadata: {} }] }]);
        await raw.query(`SELECT * FROM "${schema}".append_batch($1::jsonb)`, [payload]);

        const fastAppend = writer.appendToStream('fast', [fast], { expectedRevision: 'any' });
        await eventually('the second writer to wait for the append lock', async () => {
          const res = await raw.query(
            `SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = $1::oid
               AND objid = (hashtext($2)::bigint & 4294967295)::oid`,
            [APPEND_LOCK_CLASS, schema],
          );
          return Number(res.rows[0].n) > 0;
        });
        // Neither the open transaction's event nor anything after it is visible yet.
        expect(await reader.readAll({ after: 1n })).toEqual([]);
        expect(await reader.headPosition()).toBe(1n);

        await raw.query('COMMIT');
        await expect(fastAppend).resolves.toEqual({ nextExpectedRevision: 0n, position: 3n });
      });
      const delivered = await live.until('three events', (r) => r.length >= 3);
      expect(delivered.map((e) => [e.position, e.id])).toEqual([
        [1n, delivered[0].id],
        [2n, slow.id],
        [3n, fast.id],
      ]);
    } finally {
      await writer.close();
      await reader.close();
    }
  });

  it('delivers every event exactly once, in position order, while four pools append thousands concurrently', async () => {
    const schema = schemas.next();
    const WRITERS = 4;
    const WORKERS_PER_WRITER = 25;
    const APPENDS_PER_WORKER = 40;
    // Random pauses between insert and COMMIT give later transactions every chance to commit first.
    const writers = await Promise.all(
      Array.from({ length: WRITERS }, () =>
        createPostgresEventStore({
          connectionString: TEST_PG_URL,
          schema,
          poolSize: 3,
          maxBatch: 16,
          beforeCommit: async () => {
            if (Math.random() < 0.3) await sleep(Math.floor(Math.random() * 6));
          },
        }),
      ),
    );
    const reader = await createPostgresEventStore({ connectionString: TEST_PG_URL, schema, pollIntervalMs: 50 });
    let finalHead: bigint | undefined;

    try {
      const all = collect(reader.subscribeToAll());
      const filteredIds = new Set<string>();
      const filtered = collect(reader.subscribeToAll({ filter: { streamPrefixes: ['w2-'] } }));
      const paged = (async () => {
        const seen: RecordedEvent[] = [];
        let after = 0n;
        while (finalHead === undefined || after < finalHead) {
          const page = await reader.readAll({ after, maxCount: 64 });
          if (page.length === 0) await sleep(5);
          else after = page[page.length - 1].position;
          seen.push(...page);
        }
        return seen;
      })();
      paged.catch(() => undefined); // awaited below; a failed run must not also report an unhandled rejection

      const appendedIds = new Set<string>();
      const acks: Array<{ lastId: string; position: bigint }> = [];
      await Promise.all(
        writers.flatMap((store, w) =>
          Array.from({ length: WORKERS_PER_WRITER }, async (_, k) => {
            const stream = `w${w}-${k}`;
            let expected: bigint | 'no_stream' = 'no_stream';
            for (let n = 0; n < APPENDS_PER_WORKER; n++) {
              const events = Array.from({ length: 1 + (n % 3) }, (_, j) => ev({ w, k, n, j }));
              const result = await store.appendToStream(stream, events, { expectedRevision: expected });
              expected = result.nextExpectedRevision;
              for (const e of events) appendedIds.add(e.id);
              if (w === 2) for (const e of events) filteredIds.add(e.id);
              acks.push({ lastId: events[events.length - 1].id, position: result.position });
            }
          }),
        ),
      );
      finalHead = await reader.headPosition();
      const head = finalHead;

      let eventsPerWorker = 0;
      for (let n = 0; n < APPENDS_PER_WORKER; n++) eventsPerWorker += 1 + (n % 3);
      expect(appendedIds.size).toBe(WRITERS * WORKERS_PER_WRITER * eventsPerWorker);
      expect(finalHead).toBe(BigInt(appendedIds.size));
      const groupCommits = writers.map((w) => w.stats());
      expect(groupCommits.every((s) => s.largestBatch > 1 && s.failedCommits === 0)).toBe(true);

      const [subscribed, pagedSeen, filteredSeen] = await Promise.all([
        all.until('the subscription to reach the head', (r) => r.length > 0 && r[r.length - 1].position >= head),
        paged,
        filtered.until('the filtered subscription to see w2-*', (r) => r.length >= filteredIds.size),
      ]);
      expectExactlyOnceInOrder(subscribed, appendedIds, 'subscription');
      expectExactlyOnceInOrder(pagedSeen, appendedIds, 'paging reader');
      expectExactlyOnceInOrder(filteredSeen, filteredIds, 'filtered subscription');
      // Gapless positions, and each acknowledgement names the position its last event was read at.
      expect(subscribed.map((e) => e.position)).toEqual(subscribed.map((_, i) => BigInt(i + 1)));
      const positionOf = new Map(subscribed.map((e) => [e.id, e.position]));
      expect(acks.filter((a) => positionOf.get(a.lastId) !== a.position)).toEqual([]);
    } finally {
      finalHead ??= -1n;
      await Promise.all(writers.map((w) => w.close()));
      await reader.close();
    }
  }, 120_000);

  it('lets exactly one of several pools create a stream with no_stream', async () => {
    const schema = schemas.next();
    const stores: PostgresEventStore[] = await Promise.all(
      Array.from({ length: 4 }, () => createPostgresEventStore({ connectionString: TEST_PG_URL, schema, poolSize: 2 })),
    );
    try {
      const streams = Array.from({ length: 30 }, (_, i) => `race-${i}`);
      const outcomes = await Promise.all(
        streams.map((stream) =>
          Promise.allSettled(stores.map((s) => s.appendToStream(stream, [ev()], { expectedRevision: 'no_stream' }))),
        ),
      );
      for (const perStream of outcomes) {
        expect(perStream.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        for (const o of perStream.filter((x): x is PromiseRejectedResult => x.status === 'rejected')) {
          expect(o.reason).toBeInstanceOf(WrongExpectedRevisionError);
          expect(o.reason.actual).toBe(0n);
        }
      }
      for (const stream of streams) expect(await stores[0].readStream(stream)).toHaveLength(1);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});

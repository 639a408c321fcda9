import { randomUUID } from 'node:crypto';
import {
  EventStoreClosedError,
  EventStoreUnavailableError,
  InvalidAppendError,
  WrongExpectedRevisionError,
} from '../event-store.errors';
import type { AppendResult, EventData } from '../event-store.port';
import { createPostgresEventStore, type PostgresEventStore } from './postgres-event-store';
import { POSTGRES_SCHEMA_VERSION } from './postgres-schema';
import { describeEventStoreContract, PEER_POLL_INTERVAL_MS } from '../testing/event-store.contract';
import { Gate, TEST_PG_URL, TestSchemas, probeTestDatabase, withClient } from './testing/postgres-test-database';

const db = probeTestDatabase();
const describePg = db.available ? describe : describe.skip;
const schemas = new TestSchemas();

const ev = (type = 'Tested', data: Record<string, unknown> = {}): EventData => ({ id: randomUUID(), type, data });

/** Ends a backend and waits until the server lists it no more, so its client has been told before COMMIT goes out. */
async function terminateBackend(pid: number): Promise<void> {
  await withClient(async (c) => {
    await c.query('SELECT pg_terminate_backend($1)', [pid]);
    while ((await c.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rowCount !== 0) await new Promise((r) => setTimeout(r, 5));
  });
}

async function countVisible(schema: string, where = 'true', params: unknown[] = []): Promise<number> {
  return withClient(async (c) => {
    const res = await c.query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".events WHERE ${where}`, params);
    return Number(res.rows[0].n);
  });
}

describePg('PostgresEventStore', () => {
  afterAll(async () => {
    await schemas.dropAll();
  });

  describeEventStoreContract('postgres', async () => {
    const schema = schemas.next();
    const store = await createPostgresEventStore({ connectionString: TEST_PG_URL, schema, pollIntervalMs: 100 });
    return {
      store,
      openPeer: () => createPostgresEventStore({ connectionString: TEST_PG_URL, schema, pollIntervalMs: PEER_POLL_INTERVAL_MS }),
      openReader: () => createPostgresEventStore({ connectionString: TEST_PG_URL, schema, pollIntervalMs: PEER_POLL_INTERVAL_MS, readOnly: true }),
      cleanup: async () => {
        await store.close();
        await schemas.drop(schema);
      },
    };
  });

  describe('schema', () => {
    it('is created once when several processes start on the same schema at the same moment', async () => {
      const schema = schemas.next();
      const stores = await Promise.all(
        Array.from({ length: 4 }, () => createPostgresEventStore({ connectionString: TEST_PG_URL, schema, poolSize: 2 })),
      );
      try {
        const rows = await withClient((c) => c.query(`SELECT component, version FROM "${schema}".schema_version`));
        expect(rows.rows).toEqual([{ component: 'event-store', version: POSTGRES_SCHEMA_VERSION }]);
        await stores[0].appendToStream('s-1', [ev()], { expectedRevision: 'no_stream' });
        expect(await stores[3].headPosition()).toBe(1n);
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    });

    it('fails with EventStoreUnavailableError when the server refuses the connection', async () => {
      const refused = createPostgresEventStore({ connectionString: 'postgres://postgres@127.0.0.1:1/test', schema: schemas.next() });
      await expect(refused).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(refused).rejects.toMatchObject({ cause: expect.anything() });
    });
  });

  describe('group commit', () => {
    let store: PostgresEventStore;
    beforeEach(async () => {
      store = await schemas.store();
    });
    afterEach(async () => {
      await store.close();
    });

    it('commits appends that arrive together in one transaction, checking each expected revision on its own', async () => {
      const before = store.stats();
      const good = Array.from({ length: 100 }, (_, i) =>
        store.appendToStream(`order-${i}`, [ev('Placed', { i })], { expectedRevision: 'no_stream' }),
      );
      // In the same batch: a valid chain on one stream, a stale revision, a missing stream and a reused event id.
      const first = store.appendToStream('chain', [ev(), ev()], { expectedRevision: 'no_stream' });
      const second = store.appendToStream('chain', [ev()], { expectedRevision: 1n });
      const stale = store.appendToStream('chain', [ev()], { expectedRevision: 0n });
      const missing = store.appendToStream('nobody', [ev()], { expectedRevision: 'stream_exists' });
      const reused = ev();
      const original = store.appendToStream('reuse-a', [reused], { expectedRevision: 'any' });
      const duplicate = store.appendToStream('reuse-b', [reused], { expectedRevision: 'any' });
      const last = store.appendToStream('chain', [ev()], { expectedRevision: 2n });

      const results = await Promise.all(good);
      expect(results.map((r) => r.nextExpectedRevision)).toEqual(results.map(() => 0n));
      await expect(first).resolves.toMatchObject({ nextExpectedRevision: 1n });
      await expect(second).resolves.toMatchObject({ nextExpectedRevision: 2n });
      await expect(stale).rejects.toMatchObject({ constructor: WrongExpectedRevisionError, expected: 0n, actual: 2n });
      await expect(missing).rejects.toMatchObject({ constructor: WrongExpectedRevisionError, actual: 'no_stream' });
      await expect(original).resolves.toMatchObject({ nextExpectedRevision: 0n });
      await expect(duplicate).rejects.toBeInstanceOf(InvalidAppendError);
      await expect(last).resolves.toMatchObject({ nextExpectedRevision: 3n });

      const after = store.stats();
      expect(after.batches - before.batches).toBe(1);
      expect(after.commits - before.commits).toBe(1);
      expect(after.committedAppends - before.committedAppends).toBe(104);
      expect(after.rejectedAppends - before.rejectedAppends).toBe(3);
      expect(after.largestBatch).toBe(107);
      expect((await store.readStream('chain')).map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n]);
      expect(await store.readStream('reuse-b')).toEqual([]);
      expect(await store.headPosition()).toBe(100n + 2n + 1n + 1n + 1n);
    });

    it('bounds a batch by maxBatch and keeps queueing while a batch commits', async () => {
      await store.close();
      store = await schemas.store({ maxBatch: 25 });
      const appends = Array.from({ length: 110 }, (_, i) => store.appendToStream(`b-${i}`, [ev()], { expectedRevision: 'any' }));
      const positions = (await Promise.all(appends)).map((r) => r.position);
      expect(new Set(positions).size).toBe(110);
      const stats = store.stats();
      expect(stats.largestBatch).toBe(25);
      expect(stats.commits).toBe(5);
      expect(stats.committedAppends).toBe(110);
      expect(stats.committedEvents).toBe(110);
      expect(stats.queued).toBe(0);
    });

    it('rejects invalid appends before they join a batch', async () => {
      await expect(store.appendToStream('x', [], { expectedRevision: 'any' })).rejects.toBeInstanceOf(InvalidAppendError);
      await expect(store.appendToStream('x', [{ id: 'not-a-uuid', type: 'T', data: {} }], { expectedRevision: 'any' }))
        .rejects.toBeInstanceOf(InvalidAppendError);
      await expect(store.appendToStream('x', [ev('T', { bad: 'nul\u0000' })], { expectedRevision: 'any' }))
        .rejects.toBeInstanceOf(InvalidAppendError);
      await expect(store.appendToStream('x', [ev('T', { n: 1n })], { expectedRevision: 'any' }))
        .rejects.toBeInstanceOf(InvalidAppendError);
      await expect(store.appendToStream('x', [ev()], { expectedRevision: -1n })).rejects.toBeInstanceOf(InvalidAppendError);
      expect(store.stats().batches).toBe(0);
    });
  });

  describe('failure mid-batch', () => {
    it('rejects every caller of a batch whose statement fails, with nothing of the batch visible', async () => {
      const schema = schemas.next();
      const store = await createPostgresEventStore({ connectionString: TEST_PG_URL, schema });
      try {
        await withClient((c) =>
          c.query(`
            CREATE FUNCTION "${schema}".poison() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF NEW.stream_id LIKE 'poison%' THEN RAISE EXCEPTION 'poisoned stream %', NEW.stream_id; END IF;
              RETURN NEW;
            END $$;
            CREATE TRIGGER poison BEFORE INSERT ON "${schema}".events FOR EACH ROW EXECUTE FUNCTION "${schema}".poison();`),
        );
        const batch = [
          ...Array.from({ length: 10 }, (_, i) => store.appendToStream(`fine-${i}`, [ev()], { expectedRevision: 'no_stream' })),
          store.appendToStream('poison-1', [ev()], { expectedRevision: 'any' }),
          store.appendToStream('fine-after', [ev()], { expectedRevision: 'any' }),
        ];
        const outcomes = await Promise.allSettled(batch);
        for (const outcome of outcomes) {
          expect(outcome.status).toBe('rejected');
          const reason = (outcome as PromiseRejectedResult).reason as EventStoreUnavailableError;
          expect(reason).toBeInstanceOf(EventStoreUnavailableError);
          expect(reason.cause).toMatchObject({ message: expect.stringContaining('poisoned stream poison-1') });
        }
        expect(await countVisible(schema)).toBe(0);
        expect(await store.headPosition()).toBe(0n);
        // The store keeps working on a fresh connection, and the rejected appends left no trace in the log.
        await expect(store.appendToStream('fine-0', [ev()], { expectedRevision: 'no_stream' })).resolves.toEqual({
          nextExpectedRevision: 0n,
          position: 1n,
        });
      } finally {
        await store.close();
      }
    });

    it('rejects every caller when COMMIT itself fails (a deferred constraint), with nothing visible', async () => {
      const schema = schemas.next();
      const store = await createPostgresEventStore({ connectionString: TEST_PG_URL, schema });
      try {
        await withClient((c) =>
          c.query(`
            CREATE FUNCTION "${schema}".refuse_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF NEW.stream_id = 'refused' THEN RAISE EXCEPTION 'refused at commit'; END IF;
              RETURN NULL;
            END $$;
            CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER INSERT ON "${schema}".events
              DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "${schema}".refuse_at_commit();`),
        );
        const outcomes = await Promise.allSettled([
          store.appendToStream('accepted-1', [ev()], { expectedRevision: 'no_stream' }),
          store.appendToStream('refused', [ev()], { expectedRevision: 'no_stream' }),
          store.appendToStream('accepted-2', [ev()], { expectedRevision: 'no_stream' }),
        ]);
        for (const o of outcomes) {
          expect(o).toMatchObject({ status: 'rejected', reason: expect.any(EventStoreUnavailableError) });
          expect((o as PromiseRejectedResult).reason.cause).toMatchObject({ message: 'refused at commit' });
        }
        expect(store.stats()).toMatchObject({ batches: 1, failedCommits: 1, commits: 0 });
        expect(await countVisible(schema)).toBe(0);
      } finally {
        await store.close();
      }
    });

    it('commits an appendBatch in one transaction, and rejects it as a whole when that transaction fails', async () => {
      let kill = false;
      const schema = schemas.next();
      const store = await createPostgresEventStore({
        connectionString: TEST_PG_URL,
        schema,
        maxBatch: 50,
        beforeCommit: async ({ backendPid }) => {
          if (!kill) return;
          kill = false;
          await terminateBackend(backendPid);
        },
      });
      try {
        const batch = (tag: string) => Array.from({ length: 120 }, (_, i) => ({ streamId: `${tag}-${i}`, events: [ev()], options: { expectedRevision: 'no_stream' as const } }));
        const outcomes = await store.appendBatch(batch('ok'));
        expect(outcomes.filter((o) => o instanceof Error)).toEqual([]);
        expect(store.stats()).toMatchObject({ batches: 1, largestBatch: 120 });
        kill = true;
        await expect(store.appendBatch(batch('killed'))).rejects.toBeInstanceOf(EventStoreUnavailableError);
        expect(await countVisible(schema)).toBe(120);
      } finally {
        await store.close();
      }
    });

    it('rejects every caller with EventStoreUnavailableError when the connection dies before COMMIT', async () => {
      let kill = true;
      const schema = schemas.next();
      const store = await createPostgresEventStore({
        connectionString: TEST_PG_URL,
        schema,
        beforeCommit: async ({ backendPid }) => {
          if (!kill) return;
          kill = false;
          await terminateBackend(backendPid);
        },
      });
      try {
        const outcomes = await Promise.allSettled(
          Array.from({ length: 8 }, (_, i) => store.appendToStream(`k-${i}`, [ev(), ev()], { expectedRevision: 'any' })),
        );
        expect(outcomes.map((o) => o.status)).toEqual(outcomes.map(() => 'rejected'));
        for (const o of outcomes as PromiseRejectedResult[]) {
          expect(o.reason).toBeInstanceOf(EventStoreUnavailableError);
          expect(o.reason.cause).toBeDefined();
        }
        expect(store.stats()).toMatchObject({ batches: 1, failedCommits: 1, commits: 0 });
        expect(await countVisible(schema)).toBe(0);
        await expect(store.appendToStream('k-0', [ev()], { expectedRevision: 'no_stream' })).resolves.toMatchObject({
          position: 1n,
        });
      } finally {
        await store.close();
      }
    });
  });

  describe('acknowledgement', () => {
    it('settles an append only after COMMIT, and an acknowledged event is readable on a new connection at once', async () => {
      const gate = new Gate();
      const inserted = new Gate();
      const schema = schemas.next();
      const store = await createPostgresEventStore({
        connectionString: TEST_PG_URL,
        schema,
        beforeCommit: async () => {
          inserted.open();
          await gate.wait();
        },
      });
      try {
        const event = ev('Acked');
        let settled = false;
        const append = store.appendToStream('ack-1', [event], { expectedRevision: 'no_stream' }).finally(() => {
          settled = true;
        });
        await inserted.wait();
        // Inserted but not committed: neither acknowledged nor visible to anyone else.
        expect(settled).toBe(false);
        expect(await countVisible(schema, 'event_id = $1', [event.id])).toBe(0);
        gate.open();
        const result: AppendResult = await append;
        expect(await countVisible(schema, 'event_id = $1 AND position = $2', [event.id, result.position.toString()])).toBe(1);

        const many = Array.from({ length: 50 }, (_, i) => ({ stream: `ack-many-${i}`, event: ev('Acked', { i }) }));
        await Promise.all(
          many.map(async ({ stream, event: e }) => {
            await store.appendToStream(stream, [e], { expectedRevision: 'no_stream' });
            expect(await countVisible(schema, 'event_id = $1', [e.id])).toBe(1);
          }),
        );
      } finally {
        gate.open();
        await store.close();
      }
    });
  });

  describe('close', () => {
    it('commits queued appends, ends subscriptions, then refuses further use', async () => {
      const store = await schemas.store();
      const subscription = store.subscribeToAll();
      const received: bigint[] = [];
      const consumed = (async () => {
        for await (const e of subscription) received.push(e.position);
      })();
      const appends = Array.from({ length: 20 }, (_, i) => store.appendToStream(`c-${i}`, [ev()], { expectedRevision: 'any' }));
      await store.close();
      expect((await Promise.all(appends)).map((r) => r.position).sort((a, b) => Number(a - b))).toEqual(
        Array.from({ length: 20 }, (_, i) => BigInt(i + 1)),
      );
      await consumed; // the for-await loop ends instead of hanging
      expect(received.every((p, i) => i === 0 || p > received[i - 1])).toBe(true);
      await expect(store.appendToStream('c-x', [ev()], { expectedRevision: 'any' })).rejects.toBeInstanceOf(EventStoreClosedError);
      await expect(store.readAll()).rejects.toBeInstanceOf(EventStoreClosedError);
      await expect(store.close()).resolves.toBeUndefined();
    });
  });
});

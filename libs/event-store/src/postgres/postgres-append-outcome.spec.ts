import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { AppendOutcomeUnknownError, EventStoreUnavailableError } from '../event-store.errors';
import type { EventData } from '../event-store.port';
import { createPostgresEventStore } from './postgres-event-store';
import { TEST_PG_URL, TestSchemas, probeTestDatabase, withClient } from './testing/postgres-test-database';

const db = probeTestDatabase();
const describePg = db.available ? describe : describe.skip;
const schemas = new TestSchemas();
const ev = (): EventData => ({ id: randomUUID(), type: 'Tested', data: {} });

/**
 * A connection lost after COMMIT was sent leaves the append's outcome unknown. The COMMIT is held in the server by a
 * real deferred constraint trigger (it sleeps at COMMIT for the `slow-` streams), and the backend running it is then
 * terminated: the transaction is rolled back, but the client cannot know that.
 */
describePg('PostgresEventStore: an append whose COMMIT got no answer', () => {
  afterAll(() => schemas.dropAll());

  it('fails with AppendOutcomeUnknownError (not unavailable), and a retry of the same append records it once', async () => {
    const schema = schemas.next();
    const store = await createPostgresEventStore({ connectionString: TEST_PG_URL, schema });
    try {
      await withClient((c) =>
        c.query(`
          CREATE FUNCTION "${schema}".slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM pg_sleep(60); RETURN NULL; END $$;
          CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON "${schema}".events DEFERRABLE INITIALLY DEFERRED
            FOR EACH ROW WHEN (NEW.stream_id LIKE 'slow-%') EXECUTE FUNCTION "${schema}".slow_commit();`),
      );
      const events = [ev()];
      const append = store.appendToStream('slow-1', events, { expectedRevision: 'no_stream' }).catch((e: unknown) => e);

      const pid = await withClient(async (c) => {
        for (;;) {
          const rows = await c.query<{ pid: number }>(
            "SELECT pid FROM pg_stat_activity WHERE query = 'COMMIT' AND state = 'active' AND wait_event = 'PgSleep'",
          );
          if (rows.rows[0]) return rows.rows[0].pid;
          await delay(5);
        }
      });
      await withClient((c) => c.query('SELECT pg_terminate_backend($1)', [pid]));
      const error = await append;
      expect(error).toBeInstanceOf(AppendOutcomeUnknownError);
      expect(error).not.toBeInstanceOf(EventStoreUnavailableError);
      expect((error as AppendOutcomeUnknownError).code).toBe('APPEND_OUTCOME_UNKNOWN');

      await withClient((c) => c.query(`DROP TRIGGER slow_commit ON "${schema}".events`));
      await expect(store.appendToStream('slow-1', events, { expectedRevision: 'no_stream' })).resolves.toMatchObject({ nextExpectedRevision: 0n });
      expect((await store.readStream('slow-1')).map((e) => e.id)).toEqual([events[0]?.id]);
    } finally {
      await store.close();
    }
  });
});

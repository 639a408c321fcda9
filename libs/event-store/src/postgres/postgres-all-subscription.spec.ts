import { randomUUID } from 'node:crypto';
import { EventStoreUnavailableError } from '../event-store.errors';
import type { EventData, RecordedEvent } from '../event-store.port';
import { take } from '../testing/event-store-test-kit';
import type { PostgresEventStore } from './postgres-event-store';
import { APPEND_LOCK_CLASS } from './postgres-schema';
import { TestSchemas, eventually, probeTestDatabase, withClient } from './testing/postgres-test-database';

const db = probeTestDatabase();
const describePg = db.available ? describe : describe.skip;
const schemas = new TestSchemas();

const ev = (type = 'Sub', data: Record<string, unknown> = {}): EventData => ({ id: randomUUID(), type, data });

/** Backend pids of this schema's LISTEN connection(s). */
async function listenerPids(schema: string): Promise<number[]> {
  return withClient(async (c) => {
    const res = await c.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE query = $1 AND pid <> pg_backend_pid()`,
      [`LISTEN "${schema}_events"`],
    );
    return res.rows.map((r) => r.pid);
  });
}

describePg('PostgresEventStore subscriptions', () => {
  const open: PostgresEventStore[] = [];
  const store = async (pollIntervalMs: number): Promise<{ store: PostgresEventStore; schema: string }> => {
    const schema = schemas.next();
    const s = await schemas.store({ schema, pollIntervalMs });
    open.push(s);
    return { store: s, schema };
  };

  afterAll(async () => {
    await Promise.all(open.map((s) => s.close()));
    await schemas.dropAll();
  });

  it('wakes live subscribers through NOTIFY, without waiting for the poll interval', async () => {
    // A 10-minute poll interval: a delivery within take()'s 20 s can only have come from a NOTIFY wake-up.
    const { store: s, schema } = await store(600_000);
    await s.appendToStream('n-0', [ev()], { expectedRevision: 'no_stream' });
    const subscription = s.subscribeToAll();
    expect((await take(subscription, 1)).map((e) => e.streamId)).toEqual(['n-0']);
    await eventually('the LISTEN connection', async () => (await listenerPids(schema)).length === 1);
    const pending = take(subscription, 2);
    await s.appendToStream('n-1', [ev()], { expectedRevision: 'no_stream' });
    await s.appendToStream('n-2', [ev()], { expectedRevision: 'no_stream' });
    expect((await pending).map((e) => e.streamId)).toEqual(['n-1', 'n-2']);
    await subscription.close();
  });

  it('keeps delivering by polling when the LISTEN connection is lost', async () => {
    const { store: s, schema } = await store(50);
    const subscription = s.subscribeToAll();
    await s.appendToStream('p-0', [ev()], { expectedRevision: 'no_stream' });
    await take(subscription, 1);
    await eventually('the LISTEN connection', async () => (await listenerPids(schema)).length === 1);
    const [pid] = await listenerPids(schema);
    const pending = take(subscription, 3);
    await withClient((c) => c.query('SELECT pg_terminate_backend($1)', [pid]));
    for (let i = 1; i <= 3; i++) await s.appendToStream(`p-${i}`, [ev()], { expectedRevision: 'no_stream' });
    expect((await pending).map((e) => e.streamId)).toEqual(['p-1', 'p-2', 'p-3']);
    await subscription.close();
  });

  it('delivers events whose writer sent no NOTIFY at all, by polling', async () => {
    const { store: s, schema } = await store(50);
    const subscription = s.subscribeToAll();
    await s.appendToStream('q-0', [ev()], { expectedRevision: 'no_stream' });
    await take(subscription, 1);
    const pending = take(subscription, 2);
    const quiet = [ev('Quiet'), ev('Quiet')];
    await withClient(async (c) => {
      // Follows the append protocol (the lock, then the next positions) but never notifies.
      await c.query('BEGIN');
      await c.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [APPEND_LOCK_CLASS, schema]);
      await c.query(
        `INSERT INTO "${schema}".events (position, stream_id, revision, event_id, type, data, metadata, recorded_at)
         SELECT m.p + n, 'q-1', n - 1, ($1::uuid[])[n], 'Quiet', '{}', '{}', now()
         FROM (SELECT max(position) AS p FROM "${schema}".events) m, generate_series(1, 2) AS n`,
        [quiet.map((e) => e.id)],
      );
      await c.query('COMMIT');
    });
    expect((await pending).map((e) => e.id)).toEqual(quiet.map((e) => e.id));
    await subscription.close();
  });

  it('matches prefixes literally: % and _ in a prefix are not wildcards', async () => {
    const { store: s } = await store(50);
    for (const stream of ['a%b-1', 'axb-1', 'a_c-1', 'azc-1', 'A%b-2']) {
      await s.appendToStream(stream, [ev(stream.startsWith('a_') ? 'Under_score' : 'Plain')], { expectedRevision: 'any' });
    }
    const streams = (events: RecordedEvent[]): string[] => events.map((e) => e.streamId);
    expect(streams(await s.readAll({ filter: { streamPrefixes: ['a%'] } }))).toEqual(['a%b-1']);
    expect(streams(await s.readAll({ filter: { streamPrefixes: ['a_', 'A'] } }))).toEqual(['a_c-1', 'A%b-2']);
    expect(streams(await s.readAll({ filter: { eventTypePrefixes: ['Under_'] } }))).toEqual(['a_c-1']);
    expect(streams(await s.readAll({ filter: { streamPrefixes: ['a'], eventTypePrefixes: ['Plain'] } }))).toEqual([
      'a%b-1',
      'axb-1',
      'azc-1',
    ]);
    const filtered = s.subscribeToAll({ filter: { streamPrefixes: ['a_'] } });
    expect(streams(await take(filtered, 1))).toEqual(['a_c-1']);
    const next = take(filtered, 1);
    await s.appendToStream('a_c-2', [ev()], { expectedRevision: 'no_stream' });
    expect(streams(await next)).toEqual(['a_c-2']);
    await filtered.close();
  });

  it('ends the iteration with EventStoreUnavailableError when the store fails under it', async () => {
    const { store: s, schema } = await store(30);
    await s.appendToStream('f-0', [ev()], { expectedRevision: 'no_stream' });
    const subscription = s.subscribeToAll();
    const received: RecordedEvent[] = [];
    const iteration = (async () => {
      for await (const e of subscription) received.push(e);
    })().then(
      () => new Error('the iteration ended without an error'),
      (e: unknown) => e,
    );
    await eventually('the first event', async () => received.length === 1);
    await withClient((c) => c.query(`DROP TABLE "${schema}".events CASCADE`));
    expect(await iteration).toBeInstanceOf(EventStoreUnavailableError);
  });
});

import { randomBytes, randomUUID } from 'node:crypto';
import { EventStoreUnavailableError } from '../event-store.errors';
import { take } from '../testing/event-store-test-kit';
import { createPostgresEventStore } from './postgres-event-store';
import { POSTGRES_SCHEMA_VERSION } from './postgres-schema';
import { TEST_PG_URL, TestSchemas, probeTestDatabase, withClient } from './testing/postgres-test-database';

const db = probeTestDatabase();
const describePg = db.available ? describe : describe.skip;
const schemas = new TestSchemas();

/** TEST_PG_URL as another role. */
function urlAs(role: string, password: string): string {
  const url = new URL(TEST_PG_URL);
  url.username = role;
  url.password = password;
  return url.toString();
}

describePg('PostgresEventStore opened to read only', () => {
  afterAll(async () => {
    await schemas.dropAll();
  });

  it("opens and reads with a role that may only SELECT two tables (an auditor's)", async () => {
    const [{ allowed }] = (await withClient((c) => c.query<{ allowed: boolean }>('SELECT rolsuper OR rolcreaterole AS allowed FROM pg_roles WHERE rolname = current_user'))).rows;
    if (!allowed) {
      const reason = 'the test database user may not create roles';
      if (process.env.CI === 'true') throw new Error(`${reason}: CI needs a user with CREATEROLE for this test`);
      console.warn(`skipped: ${reason}`);
      return;
    }
    const schema = schemas.next();
    const writer = await createPostgresEventStore({ connectionString: TEST_PG_URL, schema });
    const role = `${schemas.prefix}_reader`;
    const password = randomBytes(12).toString('hex');
    try {
      const ids = [randomUUID(), randomUUID(), randomUUID()];
      await writer.appendToStream('audited', ids.map((id) => ({ id, type: 'Tested', data: { n: 1 } })), { expectedRevision: 'no_stream' });
      await withClient(async (c) => {
        await c.query(`CREATE ROLE "${role}" LOGIN PASSWORD '${password}'`);
        await c.query(`GRANT USAGE ON SCHEMA "${schema}" TO "${role}"`);
        await c.query(`GRANT SELECT ON "${schema}".events, "${schema}".schema_version TO "${role}"`);
      });
      const reader = await createPostgresEventStore({ connectionString: urlAs(role, password), schema, readOnly: true, pollIntervalMs: 100 });
      try {
        expect((await reader.readAll({ after: 0n, maxCount: 10 })).map((e) => e.id)).toEqual(ids);
        expect(await reader.headPosition()).toBe(await writer.headPosition());
        const subscription = reader.subscribeToAll();
        try {
          expect((await take(subscription, 3)).map((e) => e.id)).toEqual(ids);
        } finally {
          await subscription.close();
        }
      } finally {
        await reader.close();
      }
    } finally {
      await writer.close();
      await withClient(async (c) => {
        await c.query(`DROP OWNED BY "${role}"`).catch(() => undefined);
        await c.query(`DROP ROLE IF EXISTS "${role}"`);
      });
    }
  });

  it('refuses a schema that holds no event store, and creates nothing there', async () => {
    const schema = schemas.next();
    const opening = createPostgresEventStore({ connectionString: TEST_PG_URL, schema, readOnly: true });
    await expect(opening).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(opening).rejects.toThrow(/holds no event store/);
    const found = await withClient((c) => c.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]));
    expect(found.rowCount).toBe(0);
  });

  it('refuses a schema at another version instead of migrating it', async () => {
    const schema = schemas.next();
    const writer = await createPostgresEventStore({ connectionString: TEST_PG_URL, schema });
    await writer.close();
    await withClient((c) => c.query(`UPDATE "${schema}".schema_version SET version = $1 WHERE component = 'event-store'`, [POSTGRES_SCHEMA_VERSION + 1]));
    await expect(createPostgresEventStore({ connectionString: TEST_PG_URL, schema, readOnly: true })).rejects.toThrow(
      new RegExp(`version ${POSTGRES_SCHEMA_VERSION + 1}, not this adapter's`),
    );
    const version = await withClient((c) => c.query(`SELECT version FROM "${schema}".schema_version`));
    expect(version.rows).toEqual([{ version: POSTGRES_SCHEMA_VERSION + 1 }]);
  });
});

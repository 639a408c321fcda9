import { createArtifactStore } from '@verdict/artifact-store';
import { createEventStore } from '@verdict/event-store';
import { createReadModelDataSource } from '@verdict/read-models';
import { createSubjectKeyStore } from '@verdict/subject-keys';
import { randomBytes } from 'node:crypto';
import { postgresAvailable, randomSchema, TEST_PG_URL } from '../support/service-probe';

/**
 * A fresh deployment on PostgreSQL: the event store, the subject keys and the model artifacts share one schema by
 * default, and the engine opens them at the same time. Each creates the schema if it is missing; CREATE SCHEMA IF NOT
 * EXISTS alone failed one of two at once ("duplicate key value violates unique constraint pg_namespace_nspname_index"),
 * so the first start of an engine could fail (found by `npm run bench -- --postgres`).
 */
const available = postgresAvailable('postgres shared schema');

(available ? describe : describe.skip)('stores opening together on a fresh PostgreSQL schema', () => {
  const created: string[] = [];
  afterAll(async () => {
    const { Client } = await import('pg');
    const client = new Client({ connectionString: TEST_PG_URL });
    await client.connect();
    for (const schema of created) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });

  /** Runs SQL as the test database's user. */
  async function admin(sql: string): Promise<void> {
    const { Client } = await import('pg');
    const client = new Client({ connectionString: TEST_PG_URL });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }

  it('opens in a schema a DBA made for a role that may not create schemas in the database', async () => {
    const { Client } = await import('pg');
    const probe = new Client({ connectionString: TEST_PG_URL });
    await probe.connect();
    const { rows } = await probe.query<{ allowed: boolean }>('SELECT rolsuper OR rolcreaterole AS allowed FROM pg_roles WHERE rolname = current_user');
    await probe.end();
    if (!rows[0]?.allowed) {
      const reason = 'the test database user may not create roles';
      if (process.env.CI === 'true') throw new Error(`${reason}: CI needs a user with CREATEROLE for this test`);
      console.warn(`skipped: ${reason}`);
      return;
    }
    const schema = randomSchema('verdict_owned');
    const role = `${schema}_app`;
    const password = randomBytes(12).toString('hex');
    created.push(schema);
    await admin(`CREATE ROLE "${role}" LOGIN PASSWORD '${password}'`);
    try {
      await admin(`CREATE SCHEMA "${schema}" AUTHORIZATION "${role}"`);
      const url = new URL(TEST_PG_URL);
      url.username = role;
      url.password = password;
      // CREATE SCHEMA IF NOT EXISTS is refused to such a role even when the schema exists ("permission denied for database").
      const store = await createEventStore({ kind: 'postgres', url: url.toString(), schema });
      await store.close();
      const keys = await createSubjectKeyStore({ kind: 'postgres', url: url.toString(), schema });
      await keys.close();
    } finally {
      await admin(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin(`DROP ROLE IF EXISTS "${role}"`);
    }
  });

  it('all open, every time, whichever creates the schema', async () => {
    for (let round = 0; round < 8; round++) {
      const schema = randomSchema('verdict_shared');
      created.push(schema);
      const opened = await Promise.allSettled([
        createEventStore({ kind: 'postgres', url: TEST_PG_URL, schema }),
        createSubjectKeyStore({ kind: 'postgres', url: TEST_PG_URL, schema }),
        createArtifactStore({ kind: 'postgres', url: TEST_PG_URL, schema }),
        createReadModelDataSource({ kind: 'postgres', url: TEST_PG_URL, schema }),
      ]);
      const closing: Promise<unknown>[] = [];
      for (const o of opened) {
        if (o.status !== 'fulfilled') continue;
        const s = o.value as { close?: () => Promise<unknown>; destroy?: () => Promise<unknown> };
        closing.push(s.close ? s.close() : (s.destroy as () => Promise<unknown>)());
      }
      await Promise.all(closing);
      expect(opened.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason))).toEqual([]);
    }
  });
});

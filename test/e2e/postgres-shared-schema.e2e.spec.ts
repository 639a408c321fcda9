import { createArtifactStore } from '@verdict/artifact-store';
import { createEventStore } from '@verdict/event-store';
import { createReadModelDataSource } from '@verdict/read-models';
import { createSubjectKeyStore } from '@verdict/subject-keys';
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

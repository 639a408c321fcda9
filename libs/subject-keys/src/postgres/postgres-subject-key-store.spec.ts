import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { probeTestDatabase, TEST_PG_URL } from '../../../event-store/src/postgres/testing/postgres-test-database';
import { isSubjectKeyStoreUnavailable } from '../subject-key-store.errors';
import { subjectKeyStoreContract } from '../testing/subject-key-store.contract';
import { PostgresSubjectKeyStore } from './postgres-subject-key-store';

async function dropSchema(schema: string): Promise<void> {
  const client = new Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

const pg = probeTestDatabase().available;
if (pg) {
  subjectKeyStoreContract({
    name: 'postgres',
    open: async () => {
      const schema = `verdict_t_keys_${randomBytes(5).toString('hex')}`;
      const open = () => PostgresSubjectKeyStore.open({ connectionString: TEST_PG_URL, schema });
      const store = await open();
      let closed = false;
      return {
        store,
        second: open,
        reopen: async () => {
          await store.close();
          closed = true;
          return open();
        },
        dispose: async () => {
          if (!closed) await store.close();
          await dropSchema(schema);
        },
      };
    },
  });
}

(pg ? describe : describe.skip)('PostgresSubjectKeyStore', () => {
  it('reports an unreachable server as unavailable', async () => {
    const error = await PostgresSubjectKeyStore.open({ connectionString: 'postgres://postgres@127.0.0.1:9/none', schema: 'x' }).catch((e: unknown) => e);
    expect(isSubjectKeyStoreUnavailable(error)).toBe(true);
  });

  it('lets several instances open the same fresh schema at once', async () => {
    const schema = `verdict_t_keys_${randomBytes(5).toString('hex')}`;
    const stores = await Promise.all([1, 2, 3].map(() => PostgresSubjectKeyStore.open({ connectionString: TEST_PG_URL, schema })));
    await Promise.all(stores.map((s) => s.close()));
    await dropSchema(schema);
  });
});

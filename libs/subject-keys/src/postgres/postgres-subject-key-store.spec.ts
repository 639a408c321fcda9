import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { dropSchemas, probeTestDatabase, TEST_PG_URL } from '../../../event-store/src/postgres/testing/postgres-test-database';
import { isSubjectKeyStoreUnavailable } from '../subject-key-store.errors';
import { createSubjectKeyStore } from '../subject-key-store.factory';
import { subjectKeyStoreContract } from '../testing/subject-key-store.contract';
import { PostgresSubjectKeyStore } from './postgres-subject-key-store';

async function sql(text: string, params: unknown[] = []): Promise<void> {
  const client = new Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    await client.query(text, params);
  } finally {
    await client.end();
  }
}
const freshSchema = (): string => `verdict_t_keys_${randomBytes(5).toString('hex')}`;

const pg = probeTestDatabase().available;
if (pg) {
  subjectKeyStoreContract({
    name: 'postgres',
    open: async () => {
      const schema = freshSchema();
      const open = (): Promise<PostgresSubjectKeyStore> => PostgresSubjectKeyStore.open({ connectionString: TEST_PG_URL, schema });
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
          await dropSchemas(schema);
        },
      };
    },
  });
}

(pg ? describe : describe.skip)('PostgresSubjectKeyStore', () => {
  const schemas: string[] = [];
  const schema = (): string => {
    const s = freshSchema();
    schemas.push(s);
    return s;
  };
  afterAll(async () => {
    for (const s of schemas) await dropSchemas(s);
  });

  it('reports an unreachable server as unavailable, with the cause in the message', async () => {
    const error = await PostgresSubjectKeyStore.open({ connectionString: 'postgres://postgres@127.0.0.1:9/none', schema: 'x' }).catch((e: unknown) => e);
    expect(isSubjectKeyStoreUnavailable(error)).toBe(true);
    expect((error as Error).message).toMatch(/PostgreSQL subject key store: creating the schema failed: .*ECONNREFUSED/);
  });

  it('refuses a schema name it would have to quote', async () => {
    await expect(PostgresSubjectKeyStore.open({ connectionString: TEST_PG_URL, schema: 'x"; DROP TABLE y; --' })).rejects.toThrow(/Invalid PostgreSQL schema name/);
  });

  it('lets several instances open the same fresh schema at once (factory included)', async () => {
    const s = schema();
    const stores = await Promise.all([
      ...[1, 2].map(() => PostgresSubjectKeyStore.open({ connectionString: TEST_PG_URL, schema: s })),
      createSubjectKeyStore({ kind: 'postgres', url: TEST_PG_URL, schema: s }),
    ]);
    await Promise.all(stores.map((st) => st.close()));
  });

  it('numbers concurrent erasures from several instances in commit order, so a follower misses none', async () => {
    const s = schema();
    const stores = await Promise.all([1, 2, 3].map(() => PostgresSubjectKeyStore.open({ connectionString: TEST_PG_URL, schema: s, maxConnections: 8 })));
    try {
      const seen: number[] = [];
      let after = 0;
      const follow = async (): Promise<void> => {
        for (const r of await stores[0]!.erasuresAfter(after, 1000)) {
          seen.push(r.sequence);
          after = r.sequence;
        }
      };
      let done = false;
      const erasing = Promise.all(stores.flatMap((st, i) => Array.from({ length: 20 }, (_, j) => st.erase(`subj-${i}-${j}`, new Date())))).finally(() => (done = true));
      while (!done) await follow(); // follows while erasures commit, as another instance would
      await follow();
      const made = (await erasing).map((r) => r.sequence).sort((a, b) => a - b);
      expect(seen).toEqual(made);
    } finally {
      await Promise.all(stores.map((st) => st.close()));
    }
  });

  it('reports a lost server on a query as unavailable', async () => {
    const store = await PostgresSubjectKeyStore.open({ connectionString: TEST_PG_URL, schema: schema() });
    await store.close();
    expect(isSubjectKeyStoreUnavailable(await store.liveKeys(['x']).catch((e: unknown) => e))).toBe(true);
  });
});

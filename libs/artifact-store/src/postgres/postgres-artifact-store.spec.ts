import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { dropSchemas, probeTestDatabase, TEST_PG_URL } from '../../../event-store/src/postgres/testing/postgres-test-database';
import { isArtifactStoreUnavailable } from '../artifact-store.errors';
import { artifactStoreContract } from '../testing/artifact-store.contract';
import { PostgresArtifactStore } from './postgres-artifact-store';

const schemaOf = (s: unknown): string => (s as PostgresArtifactStore).schema;
async function sql(text: string, params: unknown[] = []): Promise<void> {
  const client = new Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    await client.query(text, params);
  } finally {
    await client.end();
  }
}

const pg = probeTestDatabase().available;
if (pg) {
  artifactStoreContract({
    name: 'postgres',
    open: async () => {
      const schema = `verdict_t_art_${randomBytes(5).toString('hex')}`;
      const store = await PostgresArtifactStore.open({ connectionString: TEST_PG_URL, schema });
      return {
        store,
        second: () => PostgresArtifactStore.open({ connectionString: TEST_PG_URL, schema }),
        dispose: async () => {
          await store.close();
          await dropSchemas(schema);
        },
      };
    },
    tamper: (store, sha256) => sql(`UPDATE "${schemaOf(store)}".model_artifacts SET bytes = $2 WHERE sha256 = $1`, [sha256, randomBytes(64)]),
    remove: (store, sha256) => sql(`DELETE FROM "${schemaOf(store)}".model_artifacts WHERE sha256 = $1`, [sha256]),
  });
}

(pg ? describe : describe.skip)('PostgresArtifactStore', () => {
  it('reports an unreachable server as ArtifactStoreUnavailableError', async () => {
    const error = await PostgresArtifactStore.open({ connectionString: 'postgres://postgres@127.0.0.1:9/none', schema: 'x' }).catch((e: unknown) => e);
    expect(isArtifactStoreUnavailable(error)).toBe(true);
  });

  it('lets two instances open the same fresh schema at once', async () => {
    const schema = `verdict_t_art_${randomBytes(5).toString('hex')}`;
    const stores = await Promise.all([1, 2, 3].map(() => PostgresArtifactStore.open({ connectionString: TEST_PG_URL, schema })));
    await Promise.all(stores.map((s) => s.close()));
    await dropSchemas(schema);
  });
});

import { Client } from 'pg';

/** The engine on PostgreSQL for one bench run: its environment, and the schemas to drop afterwards. */
export interface PostgresTarget {
  readonly env: Readonly<Record<string, string>>;
  readonly schemas: readonly string[];
}

/**
 * Every store of the engine on one PostgreSQL database, as production runs it: the event store, the subject keys
 * and the model artifacts in one fresh schema, the read models in another. Fresh per run, so nothing of an earlier
 * run is read or counted.
 */
export function postgresTarget(url: string, runId: string): PostgresTarget {
  const events = `verdict_bench_${runId}`;
  const readModels = `verdict_bench_${runId}_read`;
  return {
    env: {
      VERDICT_EVENT_STORE: 'postgres',
      VERDICT_EVENT_STORE_URL: url,
      VERDICT_EVENT_STORE_SCHEMA: events,
      VERDICT_READ_MODELS: 'postgres',
      VERDICT_READ_MODELS_URL: url,
      VERDICT_READ_MODELS_SCHEMA: readModels,
      VERDICT_ARTIFACT_STORE: 'postgres',
      VERDICT_ARTIFACT_STORE_URL: url,
      VERDICT_ARTIFACT_STORE_SCHEMA: events,
    },
    schemas: [events, readModels],
  };
}

/** The test helper of the same name (postgres-test-database) is not in the built tools: testing/ is left out of dist. */
export async function dropSchemas(url: string, schemas: readonly string[]): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

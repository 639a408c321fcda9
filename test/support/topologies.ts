import { dropSchemas } from '../../libs/event-store/src/postgres/testing/postgres-test-database';
import { postgresAvailable, randomSchema, TEST_PG_URL } from './service-probe';

export interface Topology {
  readonly name: string;
  env(): Record<string, string>;
  setUp?(): Promise<void>;
  tearDown?(): Promise<void>;
}

export { dropSchemas };

/** The production shape's environment: event store, read models and artifacts on PostgreSQL, each in its own schema. */
export function postgresEnv(schemas: { readonly es: string; readonly rm: string; readonly art: string }): Record<string, string> {
  return {
    VERDICT_EVENT_STORE: 'postgres',
    VERDICT_EVENT_STORE_URL: TEST_PG_URL,
    VERDICT_EVENT_STORE_SCHEMA: schemas.es,
    VERDICT_READ_MODELS: 'postgres',
    VERDICT_READ_MODELS_URL: TEST_PG_URL,
    VERDICT_READ_MODELS_SCHEMA: schemas.rm,
    VERDICT_ARTIFACT_STORE: 'postgres',
    VERDICT_ARTIFACT_STORE_URL: TEST_PG_URL,
    VERDICT_ARTIFACT_STORE_SCHEMA: schemas.art,
  };
}

/**
 * The store topologies every end-to-end suite runs on: the embedded default, the PostgreSQL production shape, and
 * EventStoreDB through the wire-compatible test server (the only stand-in: no EventStoreDB server runs here).
 */
export function e2eTopologies(): Topology[] {
  const list: Topology[] = [{ name: 'sqlite', env: () => ({}) }];
  if (postgresAvailable('e2e on PostgreSQL')) {
    const es = randomSchema('verdict_e2e_es');
    const rm = randomSchema('verdict_e2e_rm');
    list.push({
      name: 'postgres',
      env: () => ({
        VERDICT_EVENT_STORE: 'postgres',
        VERDICT_EVENT_STORE_URL: TEST_PG_URL,
        VERDICT_EVENT_STORE_SCHEMA: es,
        VERDICT_READ_MODELS: 'postgres',
        VERDICT_READ_MODELS_URL: TEST_PG_URL,
        VERDICT_READ_MODELS_SCHEMA: rm,
      }),
      tearDown: () => dropSchemas(es, rm),
    });
  }
  list.push(esdbTopology());
  return list;
}

function esdbTopology(): Topology {
  // Loaded lazily so the sqlite/postgres runs don't depend on the gRPC test server.
  let server: { start(): Promise<{ connectionString: string }>; stop(): Promise<void> } | undefined;
  let connectionString = '';
  return {
    name: 'esdb (wire-compatible test server)',
    setUp: async () => {
      const { FakeEsdbServer } = await import('../../libs/event-store/src/esdb/testing/fake-esdb-server');
      const started = new FakeEsdbServer();
      server = started;
      ({ connectionString } = await started.start());
    },
    env: () => ({ VERDICT_EVENT_STORE: 'esdb', VERDICT_EVENT_STORE_URL: connectionString }),
    tearDown: async () => server?.stop(),
  };
}

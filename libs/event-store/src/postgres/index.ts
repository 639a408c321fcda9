export { createPostgresEventStore, PostgresEventStore } from './postgres-event-store';
export type { PostgresEventStoreOptions } from './postgres-event-store';
export { POSTGRES_SCHEMA_VERSION } from './postgres-schema';

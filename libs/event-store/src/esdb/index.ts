export { createEsdbEventStore, EsdbEventStore } from './esdb-event-store';
export type { EsdbEventStoreOptions } from './esdb-event-store';

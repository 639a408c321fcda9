export * from './event-store.port';
export * from './event-store.errors';
export { textChars } from './text-budget';
export * from './sqlite/sqlite-event-store';
export type { GroupCommitStats } from './group-commit/group-commit-queue';
export * from './postgres';
export * from './event-store.factory';
export type { EsdbEventStoreOptions } from './esdb';

export * from './event-store.port';
export * from './event-store.errors';
export * from './sqlite/sqlite-event-store';
export type { GroupCommitStats } from './sqlite/sqlite-group-commit';
export * from './postgres';
export * from './event-store.factory';
export * from './esdb';

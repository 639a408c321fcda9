export * from './artifact-store.port';
export * from './artifact-store.errors';
export { sha256Of } from './artifact-id';
export * from './get-verified';
export * from './artifact-store.factory';
export { FilesystemArtifactStore } from './filesystem/filesystem-artifact-store';
export { PostgresArtifactStore, type PostgresArtifactStoreOptions } from './postgres/postgres-artifact-store';

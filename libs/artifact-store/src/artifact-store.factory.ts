import path from 'node:path';
import type { ArtifactStore } from './artifact-store.port';
import { FilesystemArtifactStore } from './filesystem/filesystem-artifact-store';
import { PostgresArtifactStore } from './postgres/postgres-artifact-store';

export interface ArtifactStoreSelection {
  readonly kind: 'filesystem' | 'postgres';
  /** filesystem: a directory; postgres: a postgres:// URL. */
  readonly url: string;
  /** PostgreSQL schema (default 'verdict'); ignored by the filesystem adapter. */
  readonly schema?: string;
}

/** The one place configuration picks an adapter. */
export async function createArtifactStore(selection: ArtifactStoreSelection): Promise<ArtifactStore> {
  if (selection.kind === 'postgres') return PostgresArtifactStore.open({ connectionString: selection.url, schema: selection.schema });
  const store = new FilesystemArtifactStore(path.resolve(selection.url));
  await store.ping();
  return store;
}

import { Pool } from 'pg';
import { createSchemaIfAbsent } from '@verdict/event-store/postgres/postgres-schema';
import { checkArtifactBytes, checkArtifactId, sha256Of } from '../artifact-id';
import { ArtifactStoreUnavailableError } from '../artifact-store.errors';
import type { ArtifactRef, ArtifactStore } from '../artifact-store.port';

export interface PostgresArtifactStoreOptions {
  readonly connectionString: string;
  /** Default 'verdict'. */
  readonly schema?: string;
  /** Pool size; default 4 (model uploads and loads are rare). */
  readonly maxConnections?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,47}$/;
/** Serialises the DDL of processes starting together (advisory-lock class "VRD" + 3). */
const DDL_LOCK_CLASS = 0x56524403;

const unavailable = (what: string, cause: unknown): ArtifactStoreUnavailableError =>
  new ArtifactStoreUnavailableError(`PostgreSQL artifact store: ${what} failed: ${(cause as Error).message}`, { cause });

/**
 * Artifacts in PostgreSQL (`<schema>.model_artifacts`), so every engine instance can fetch every model. The bytes
 * are committed (PostgreSQL's own durability) before put resolves; `ON CONFLICT DO NOTHING` makes a repeated or
 * concurrent put of the same bytes a no-op.
 */
export class PostgresArtifactStore implements ArtifactStore {
  readonly kind = 'postgres';
  private readonly table: string;

  private constructor(
    private readonly pool: Pool,
    readonly schema: string,
  ) {
    this.table = `"${schema}".model_artifacts`;
  }

  static async open(options: PostgresArtifactStoreOptions): Promise<PostgresArtifactStore> {
    const schema = options.schema ?? 'verdict';
    if (!SCHEMA_NAME.test(schema)) throw new Error(`Invalid PostgreSQL schema name "${schema}"`);
    const pool = new Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 4, connectionTimeoutMillis: 10_000 });
    pool.on('error', () => undefined); // idle-client errors surface on the next query instead of crashing the process
    const store = new PostgresArtifactStore(pool, schema);
    try {
      await store.ensureSchema();
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw unavailable('creating the schema', error);
    }
    return store;
  }

  async put(bytes: Uint8Array): Promise<ArtifactRef> {
    checkArtifactBytes(bytes);
    const sha256 = sha256Of(bytes);
    try {
      await this.pool.query(`INSERT INTO ${this.table} (sha256, size_bytes, bytes) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING`, [
        sha256,
        bytes.length,
        Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      ]);
    } catch (error) {
      throw unavailable(`storing ${sha256}`, error);
    }
    return { sha256, sizeBytes: bytes.length };
  }

  async get(sha256: string): Promise<Uint8Array | null> {
    checkArtifactId(sha256);
    try {
      const res = await this.pool.query<{ bytes: Buffer }>(`SELECT bytes FROM ${this.table} WHERE sha256 = $1`, [sha256]);
      return res.rows[0] ? new Uint8Array(res.rows[0].bytes) : null;
    } catch (error) {
      throw unavailable(`reading ${sha256}`, error);
    }
  }

  async has(sha256: string): Promise<boolean> {
    checkArtifactId(sha256);
    try {
      return (await this.pool.query(`SELECT 1 FROM ${this.table} WHERE sha256 = $1`, [sha256])).rowCount === 1;
    } catch (error) {
      throw unavailable(`looking up ${sha256}`, error);
    }
  }

  async ping(): Promise<void> {
    try {
      await this.pool.query('SELECT 1');
    } catch (error) {
      throw unavailable('ping', error);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async ensureSchema(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await createSchemaIfAbsent(client, this.schema);
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [DDL_LOCK_CLASS, this.schema]);
      await client.query(`
        CREATE TABLE IF NOT EXISTS ${this.table} (
          sha256     text        PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
          size_bytes bigint      NOT NULL CHECK (size_bytes > 0),
          bytes      bytea       NOT NULL,
          stored_at  timestamptz NOT NULL DEFAULT now()
        )`);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

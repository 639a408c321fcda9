import { Pool, type PoolClient } from 'pg';
import { SubjectKeyStoreUnavailableError } from '../subject-key-store.errors';
import type { ErasureRecord, RegisterResult, StoredIdentity, StoredSubjectKey, SubjectKeyStore } from '../subject-key-store.port';

export interface PostgresSubjectKeyStoreOptions {
  readonly connectionString: string;
  readonly schema: string;
  /** Pool size; default 4 (a known subject needs no query). */
  readonly maxConnections?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,47}$/;
/** Serialises the DDL of processes starting together (advisory-lock class "VRD" + 5). */
const DDL_LOCK_CLASS = 0x56524405;

interface KeyRow {
  key_id: string;
  subject_ref: string;
  wrapped: Buffer;
}
interface IdentityRow {
  pseudonym: string;
  field: string;
  subject_ref: string;
  key_id: string;
  sealed: Buffer;
}
interface ErasureRow {
  sequence: string;
  subject_ref: string;
  erased_at: Date;
  key_ids: string[];
  identities: { field: string; pseudonym: string }[];
}

const toKey = (r: KeyRow): StoredSubjectKey => ({ keyId: r.key_id, subjectRef: r.subject_ref, wrapped: r.wrapped });
const toIdentity = (r: IdentityRow): StoredIdentity => ({ pseudonym: r.pseudonym, field: r.field, subjectRef: r.subject_ref, keyId: r.key_id, sealed: r.sealed });
const toErasure = (r: ErasureRow): ErasureRecord => ({ sequence: Number(r.sequence), subjectRef: r.subject_ref, erasedAt: r.erased_at, keyIds: r.key_ids, identities: r.identities });

const unavailable = (what: string, cause: unknown): SubjectKeyStoreUnavailableError =>
  new SubjectKeyStoreUnavailableError(`PostgreSQL subject key store: ${what} failed: ${(cause as Error).message}`, { cause });

/** The subject key store in PostgreSQL (`<schema>.subject_*`), shared by every engine instance on the database. */
export class PostgresSubjectKeyStore implements SubjectKeyStore {
  private readonly t: { keys: string; identities: string; erasures: string };

  private constructor(
    private readonly pool: Pool,
    readonly schema: string,
  ) {
    this.t = { keys: `"${schema}".subject_keys`, identities: `"${schema}".subject_identities`, erasures: `"${schema}".subject_erasures` };
  }

  static async open(options: PostgresSubjectKeyStoreOptions): Promise<PostgresSubjectKeyStore> {
    if (!SCHEMA_NAME.test(options.schema)) throw new Error(`Invalid PostgreSQL schema name "${options.schema}"`);
    const pool = new Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 4, connectionTimeoutMillis: 10_000 });
    pool.on('error', () => undefined); // idle-client errors surface on the next query instead of crashing the process
    const store = new PostgresSubjectKeyStore(pool, options.schema);
    try {
      await store.inTransaction(async (c) => {
        await c.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [DDL_LOCK_CLASS, options.schema]);
        await c.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
        await c.query(`CREATE TABLE IF NOT EXISTS ${store.t.keys} (
          key_id text PRIMARY KEY, subject_ref text NOT NULL UNIQUE, wrapped bytea NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
        await c.query(`CREATE TABLE IF NOT EXISTS ${store.t.identities} (
          pseudonym text PRIMARY KEY, field text NOT NULL, subject_ref text NOT NULL, key_id text NOT NULL, sealed bytea NOT NULL)`);
        await c.query(`CREATE INDEX IF NOT EXISTS subject_identities_subject ON ${store.t.identities} (subject_ref)`);
        await c.query(`CREATE TABLE IF NOT EXISTS ${store.t.erasures} (
          sequence bigserial PRIMARY KEY, subject_ref text NOT NULL, erased_at timestamptz NOT NULL, key_ids jsonb NOT NULL, identities jsonb NOT NULL)`);
        await c.query(`CREATE INDEX IF NOT EXISTS subject_erasures_subject ON ${store.t.erasures} (subject_ref, sequence)`);
      });
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw unavailable('creating the schema', error);
    }
    return store;
  }

  async liveKeys(subjectRefs: readonly string[]): Promise<StoredSubjectKey[]> {
    return (await this.query<KeyRow>(`SELECT key_id, subject_ref, wrapped FROM ${this.t.keys} WHERE subject_ref = ANY($1)`, [[...subjectRefs]])).map(toKey);
  }

  async keysById(keyIds: readonly string[]): Promise<StoredSubjectKey[]> {
    return (await this.query<KeyRow>(`SELECT key_id, subject_ref, wrapped FROM ${this.t.keys} WHERE key_id = ANY($1)`, [[...keyIds]])).map(toKey);
  }

  async identities(pseudonyms: readonly string[]): Promise<StoredIdentity[]> {
    return (await this.query<IdentityRow>(`SELECT pseudonym, field, subject_ref, key_id, sealed FROM ${this.t.identities} WHERE pseudonym = ANY($1)`, [[...pseudonyms]])).map(toIdentity);
  }

  async register(keys: readonly StoredSubjectKey[], identities: readonly StoredIdentity[]): Promise<RegisterResult> {
    try {
      return await this.inTransaction(async (c): Promise<RegisterResult> => {
        if (keys.length > 0) {
          await c.query(`INSERT INTO ${this.t.keys} (key_id, subject_ref, wrapped) SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[]) ON CONFLICT DO NOTHING`, [
            keys.map((k) => k.keyId),
            keys.map((k) => k.subjectRef),
            keys.map((k) => k.wrapped),
          ]);
        }
        const refs = [...new Set([...keys.map((k) => k.subjectRef), ...identities.map((i) => i.subjectRef)])];
        // FOR SHARE: an erasure in another transaction cannot delete these keys until this one commits.
        const live = new Map((await c.query<KeyRow>(`SELECT key_id, subject_ref, wrapped FROM ${this.t.keys} WHERE subject_ref = ANY($1) FOR SHARE`, [refs])).rows.map((r) => [r.subject_ref, r]));
        const refused = new Set([...keys, ...identities].filter((x) => live.get(x.subjectRef)?.key_id !== x.keyId).map((x) => x.subjectRef));
        if (refused.size > 0) {
          await c.query('ROLLBACK');
          return { ok: false, liveKeys: [...refused].flatMap((ref) => (live.has(ref) ? [toKey(live.get(ref) as KeyRow)] : [])) };
        }
        if (identities.length > 0) {
          await c.query(
            `INSERT INTO ${this.t.identities} (pseudonym, field, subject_ref, key_id, sealed)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bytea[]) ON CONFLICT DO NOTHING`,
            [identities.map((i) => i.pseudonym), identities.map((i) => i.field), identities.map((i) => i.subjectRef), identities.map((i) => i.keyId), identities.map((i) => i.sealed)],
          );
        }
        return { ok: true };
      });
    } catch (error) {
      throw unavailable('registering keys', error);
    }
  }

  async erase(subjectRef: string, erasedAt: Date): Promise<ErasureRecord> {
    try {
      return await this.inTransaction(async (c) => {
        const keyIds = (await c.query<{ key_id: string }>(`DELETE FROM ${this.t.keys} WHERE subject_ref = $1 RETURNING key_id`, [subjectRef])).rows.map((r) => r.key_id).sort();
        const identities = (await c.query<{ field: string; pseudonym: string }>(`DELETE FROM ${this.t.identities} WHERE subject_ref = $1 RETURNING field, pseudonym`, [subjectRef])).rows
          .map((r) => ({ field: r.field, pseudonym: r.pseudonym }))
          .sort((a, b) => (a.pseudonym < b.pseudonym ? -1 : 1));
        const row = await c.query<{ sequence: string }>(`INSERT INTO ${this.t.erasures} (subject_ref, erased_at, key_ids, identities) VALUES ($1, $2, $3, $4) RETURNING sequence`, [
          subjectRef,
          erasedAt,
          JSON.stringify(keyIds),
          JSON.stringify(identities),
        ]);
        return { sequence: Number(row.rows[0]?.sequence), subjectRef, erasedAt, keyIds, identities };
      });
    } catch (error) {
      throw unavailable('erasing a subject', error);
    }
  }

  async erasuresAfter(afterSequence: number, limit: number): Promise<ErasureRecord[]> {
    return (await this.query<ErasureRow>(`SELECT * FROM ${this.t.erasures} WHERE sequence > $1 ORDER BY sequence LIMIT $2`, [afterSequence, limit])).map(toErasure);
  }

  async lastErasure(subjectRef: string): Promise<ErasureRecord | undefined> {
    const [row] = await this.query<ErasureRow>(`SELECT * FROM ${this.t.erasures} WHERE subject_ref = $1 ORDER BY sequence DESC LIMIT 1`, [subjectRef]);
    return row ? toErasure(row) : undefined;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async query<T extends object>(sql: string, params: unknown[]): Promise<T[]> {
    try {
      return (await this.pool.query<T>(sql, params)).rows;
    } catch (error) {
      throw unavailable('a query', error);
    }
  }

  /** Runs `work` in one transaction; a ROLLBACK issued by `work` itself is respected. */
  private async inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT'); // after a ROLLBACK in work, PostgreSQL answers this with a warning, not an error
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

import { Pool, type PoolClient } from 'pg';
import { createSchemaIfAbsent } from '@verdict/event-store/postgres/postgres-schema';
import { SubjectKeyStoreUnavailableError } from '../subject-key-store.errors';
import type { ErasureRecord, RegisterResult, StoredIdentity, StoredSubjectKey, SubjectKeyStore } from '../subject-key-store.port';
import { KEY_COLUMNS, toIdentity, toKey, type IdentityRow, type KeyRow } from '../stored-rows';

export interface PostgresSubjectKeyStoreOptions {
  readonly connectionString: string;
  /** Default 'verdict'. */
  readonly schema?: string;
  /** Pool size; default 4 (a subject already known costs no query). */
  readonly maxConnections?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,47}$/;
/** Serialises the DDL of processes starting together (advisory-lock class "VRD" + 5). */
const DDL_LOCK_CLASS = 0x56524405;
/**
 * Serialises erasures (class "VRD" + 6): the lock is taken before the sequence is drawn and held until commit, so
 * sequences become visible in order and a follower reading `erasuresAfter(n)` never skips one that commits late.
 */
const ERASE_LOCK_CLASS = 0x56524406;

interface ErasureRow {
  sequence: string;
  subject_ref: string;
  erased_at: Date;
  key_ids: string[];
  identities: { field: string; pseudonym: string }[];
}

const ERASURE_COLUMNS = 'sequence, subject_ref, erased_at, key_ids, identities';
const toErasure = (r: ErasureRow): ErasureRecord => ({ sequence: Number(r.sequence), subjectRef: r.subject_ref, erasedAt: r.erased_at, keyIds: r.key_ids, identities: r.identities });

const unavailable = (what: string, cause: unknown): SubjectKeyStoreUnavailableError =>
  new SubjectKeyStoreUnavailableError(`PostgreSQL subject key store: ${what} failed: ${(cause as Error).message}`, { cause });

/**
 * The subject key store in PostgreSQL (`<schema>.subject_*`), shared by every engine instance on the database. Only
 * live keys are stored; erase deletes them. Writes run in READ COMMITTED transactions whose row locks order them.
 */
export class PostgresSubjectKeyStore implements SubjectKeyStore {
  private readonly t: { keys: string; identities: string; erasures: string };

  private constructor(
    private readonly pool: Pool,
    readonly schema: string,
  ) {
    this.t = { keys: `"${schema}".subject_keys`, identities: `"${schema}".subject_identities`, erasures: `"${schema}".subject_erasures` };
  }

  static async open(options: PostgresSubjectKeyStoreOptions): Promise<PostgresSubjectKeyStore> {
    const schema = options.schema ?? 'verdict';
    if (!SCHEMA_NAME.test(schema)) throw new Error(`Invalid PostgreSQL schema name "${schema}"`);
    const pool = new Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 4, connectionTimeoutMillis: 10_000 });
    pool.on('error', () => undefined); // idle-client errors surface on the next query instead of crashing the process
    const store = new PostgresSubjectKeyStore(pool, schema);
    try {
      await store.ensureSchema();
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error; // already a SubjectKeyStoreUnavailableError
    }
    return store;
  }

  async liveKeys(subjectRefs: readonly string[]): Promise<StoredSubjectKey[]> {
    if (subjectRefs.length === 0) return [];
    return (await this.query<KeyRow>('reading keys', `SELECT ${KEY_COLUMNS} FROM ${this.t.keys} WHERE subject_ref = ANY($1::text[])`, [[...subjectRefs]])).map(toKey);
  }

  async anyKey(): Promise<StoredSubjectKey | undefined> {
    const [row] = await this.query<KeyRow>('reading keys', `SELECT ${KEY_COLUMNS} FROM ${this.t.keys} LIMIT 1`, []);
    return row && toKey(row);
  }

  async keysById(keyIds: readonly string[]): Promise<StoredSubjectKey[]> {
    if (keyIds.length === 0) return [];
    return (await this.query<KeyRow>('reading keys', `SELECT ${KEY_COLUMNS} FROM ${this.t.keys} WHERE key_id = ANY($1::text[])`, [[...keyIds]])).map(toKey);
  }

  async identities(pseudonyms: readonly string[]): Promise<StoredIdentity[]> {
    if (pseudonyms.length === 0) return [];
    const sql = `SELECT pseudonym, field, subject_ref, key_id, sealed FROM ${this.t.identities} WHERE pseudonym = ANY($1::text[])`;
    return (await this.query<IdentityRow>('reading identities', sql, [[...pseudonyms]])).map(toIdentity);
  }

  async register(keys: readonly StoredSubjectKey[], identities: readonly StoredIdentity[]): Promise<RegisterResult> {
    if (keys.length === 0 && identities.length === 0) return { ok: true };
    return this.inTransaction(
      'registering keys',
      async (c): Promise<RegisterResult> => {
        if (keys.length > 0) {
          // A concurrent insert of another key for the same subject waits here on the unique index, then does nothing.
          await c.query(
            `INSERT INTO ${this.t.keys} (key_id, subject_ref, wrapped)
             SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[]) ON CONFLICT DO NOTHING`,
            [keys.map((k) => k.keyId), keys.map((k) => k.subjectRef), keys.map((k) => k.wrapped)],
          );
        }
        const refs = [...new Set([...keys, ...identities].map((x) => x.subjectRef))];
        // FOR SHARE: a concurrent erase cannot delete these keys before this transaction's identities are in.
        const rows = await c.query<KeyRow>(`SELECT ${KEY_COLUMNS} FROM ${this.t.keys} WHERE subject_ref = ANY($1::text[]) FOR SHARE`, [refs]);
        const live = new Map(rows.rows.map((r) => [r.subject_ref, r]));
        // A new key that lost to another writer's is refused too: the caller must not seal under a key that is not stored.
        const refused = new Set([...keys, ...identities].filter((x) => live.get(x.subjectRef)?.key_id !== x.keyId).map((x) => x.subjectRef));
        if (refused.size > 0) return { ok: false, liveKeys: [...refused].flatMap((ref) => (live.has(ref) ? [toKey(live.get(ref)!)] : [])) };
        if (identities.length > 0) {
          await c.query(
            `INSERT INTO ${this.t.identities} (pseudonym, field, subject_ref, key_id, sealed)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bytea[]) ON CONFLICT DO NOTHING`,
            [identities.map((i) => i.pseudonym), identities.map((i) => i.field), identities.map((i) => i.subjectRef), identities.map((i) => i.keyId), identities.map((i) => i.sealed)],
          );
        }
        return { ok: true };
      },
      (result) => result.ok,
    );
  }

  async erase(subjectRef: string, erasedAt: Date): Promise<ErasureRecord> {
    return this.inTransaction('erasing a subject', async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ERASE_LOCK_CLASS, this.schema]);
      const keys = await c.query<{ key_id: string }>(`DELETE FROM ${this.t.keys} WHERE subject_ref = $1 RETURNING key_id`, [subjectRef]);
      const gone = await c.query<{ field: string; pseudonym: string }>(`DELETE FROM ${this.t.identities} WHERE subject_ref = $1 RETURNING field, pseudonym`, [subjectRef]);
      const keyIds = keys.rows.map((r) => r.key_id).sort();
      const identities = gone.rows
        .map((r) => ({ field: r.field, pseudonym: r.pseudonym }))
        .sort((a, b) => (a.pseudonym < b.pseudonym ? -1 : a.pseudonym > b.pseudonym ? 1 : 0));
      const row = await c.query<{ sequence: string }>(
        `INSERT INTO ${this.t.erasures} (subject_ref, erased_at, key_ids, identities) VALUES ($1, $2, $3::jsonb, $4::jsonb) RETURNING sequence`,
        [subjectRef, erasedAt, JSON.stringify(keyIds), JSON.stringify(identities)],
      );
      return { sequence: Number(row.rows[0]!.sequence), subjectRef, erasedAt: new Date(erasedAt.getTime()), keyIds, identities };
    });
  }

  async erasuresAfter(afterSequence: number, limit: number): Promise<ErasureRecord[]> {
    const sql = `SELECT ${ERASURE_COLUMNS} FROM ${this.t.erasures} WHERE sequence > $1 ORDER BY sequence LIMIT $2`;
    return (await this.query<ErasureRow>('reading erasures', sql, [afterSequence, Math.max(0, Math.floor(limit))])).map(toErasure);
  }

  async lastErasure(subjectRef: string): Promise<ErasureRecord | undefined> {
    const sql = `SELECT ${ERASURE_COLUMNS} FROM ${this.t.erasures} WHERE subject_ref = $1 ORDER BY sequence DESC LIMIT 1`;
    const [row] = await this.query<ErasureRow>('reading erasures', sql, [subjectRef]);
    return row ? toErasure(row) : undefined;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async query<T extends object>(what: string, sql: string, params: unknown[]): Promise<T[]> {
    try {
      return (await this.pool.query<T>(sql, params)).rows;
    } catch (error) {
      throw unavailable(what, error);
    }
  }

  /** Runs `work` in one transaction; commits unless `commit` says otherwise for its result. */
  private async inTransaction<T>(what: string, work: (client: PoolClient) => Promise<T>, commit: (result: T) => boolean = () => true): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw unavailable(what, error);
    }
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query(commit(result) ? 'COMMIT' : 'ROLLBACK');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw unavailable(what, error);
    } finally {
      client.release();
    }
  }

  private async ensureSchema(): Promise<void> {
    await this.inTransaction('creating the schema', async (c) => {
      await createSchemaIfAbsent(c, this.schema);
      await c.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [DDL_LOCK_CLASS, this.schema]);
      await c.query(`
        CREATE TABLE IF NOT EXISTS ${this.t.keys} (
          key_id      text        PRIMARY KEY,
          subject_ref text        NOT NULL UNIQUE,
          wrapped     bytea       NOT NULL,
          created_at  timestamptz NOT NULL DEFAULT now()
        )`);
      await c.query(`
        CREATE TABLE IF NOT EXISTS ${this.t.identities} (
          pseudonym   text  PRIMARY KEY,
          field       text  NOT NULL,
          subject_ref text  NOT NULL,
          key_id      text  NOT NULL,
          sealed      bytea NOT NULL
        )`);
      await c.query(`CREATE INDEX IF NOT EXISTS subject_identities_subject ON ${this.t.identities} (subject_ref)`);
      await c.query(`
        CREATE TABLE IF NOT EXISTS ${this.t.erasures} (
          sequence    bigserial   PRIMARY KEY,
          subject_ref text        NOT NULL,
          erased_at   timestamptz NOT NULL,
          key_ids     jsonb       NOT NULL,
          identities  jsonb       NOT NULL
        )`);
      await c.query(`CREATE INDEX IF NOT EXISTS subject_erasures_subject ON ${this.t.erasures} (subject_ref, sequence)`);
    });
  }
}

import type { Pool, PoolClient } from 'pg';
import { EventStoreUnavailableError } from '../event-store.errors';
import { toUnavailable } from './postgres-unavailable';

/** Bump when the DDL below changes; `ensurePostgresSchema` applies it once per schema and records the version. */
export const POSTGRES_SCHEMA_VERSION = 1;

/** Advisory-lock class ids (first half of the two-int lock key; the second half is hashtext(schema)). */
const SCHEMA_LOCK_CLASS = 0x56524400; // "VRD" + 0: creating a schema, whichever store does it
const DDL_LOCK_CLASS = 0x56524401; // "VRD" + 1
export const APPEND_LOCK_CLASS = 0x56524402; // "VRD" + 2

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,47}$/;

/** Validates a schema name (it is interpolated into DDL, quoted) and returns the quoted identifier. */
export function quoteSchema(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`Invalid PostgreSQL schema name "${schema}": use lower-case letters, digits and _, at most 48 chars`);
  }
  return `"${schema}"`;
}

/** NOTIFY channel that carries "new events committed" wake-ups for one schema. */
export function notifyChannel(schema: string): string {
  return `${schema}_events`;
}

function ddl(schema: string): string {
  const s = quoteSchema(schema);
  const channel = notifyChannel(schema).replace(/'/g, "''");
  return `
CREATE TABLE IF NOT EXISTS ${s}.events (
  position    bigint      PRIMARY KEY,
  stream_id   text        NOT NULL,
  revision    bigint      NOT NULL,
  event_id    uuid        NOT NULL,
  type        text        NOT NULL,
  data        jsonb       NOT NULL,
  metadata    jsonb       NOT NULL,
  recorded_at timestamptz NOT NULL,
  CONSTRAINT events_event_id_key UNIQUE (event_id),
  CONSTRAINT events_stream_revision_key UNIQUE (stream_id, revision)
);

-- Appends one batch (a JSON array of {s: stream, e: expected, ev: [{id,type,data,metadata}]}) in the caller's
-- transaction and returns one outcome row per append.
--
-- Commit order: the transaction-scoped advisory lock is taken BEFORE positions are allocated and is held until
-- COMMIT, so writers (from any process or pool) allocate and commit strictly one after another, and PostgreSQL makes
-- a commit visible before it releases the transaction's locks. Hence a reader that sees position p also sees every
-- position below p: "position > last seen" never skips a late committer. We chose this over the xid high-water-mark
-- technique because readers then need no snapshot arithmetic and see an event as soon as it commits; the cost (one
-- writer transaction at a time per schema) is amortised by group commit.
--
-- Because every writer holds the same lock, expected revisions and event-id uniqueness are checked before inserting
-- (no exception blocks, so no subtransactions): a failed check rejects only its own append, never the batch.
CREATE OR REPLACE FUNCTION ${s}.append_batch(batch jsonb)
RETURNS TABLE (out_index int, out_status text, out_revision bigint, out_position bigint)
LANGUAGE plpgsql VOLATILE
-- Every lookup here is a probe of a unique index. Plans cached while the table was small (or before ANALYZE) would
-- otherwise be sequential scans that make each append cost O(log size).
SET enable_seqscan = off
AS $fn$
DECLARE
  item jsonb;
  i int := 0;
  head bigint;
  expected text;
  ids uuid[];
  pos bigint;
  inserted int;
  recorded timestamptz;
  appended boolean := false;
BEGIN
  PERFORM pg_advisory_xact_lock(${APPEND_LOCK_CLASS}, hashtext('${schema}'));
  -- READ COMMITTED: this statement's snapshot is taken after the lock, so it sees the previous holder's commit.
  SELECT coalesce(max(e.position), 0) INTO pos FROM ${s}.events e;
  recorded := clock_timestamp();
  FOR item IN SELECT value FROM jsonb_array_elements(batch) LOOP
    out_index := i;
    i := i + 1;
    SELECT max(e.revision) INTO head FROM ${s}.events e WHERE e.stream_id = item->>'s';
    expected := item->>'e';
    IF (expected = 'no_stream' AND head IS NOT NULL)
       OR (expected = 'stream_exists' AND head IS NULL)
       OR (expected NOT IN ('any', 'no_stream', 'stream_exists') AND head IS DISTINCT FROM expected::bigint) THEN
      out_status := 'wrong_expected_revision'; out_revision := head; out_position := NULL;
      RETURN NEXT;
      CONTINUE;
    END IF;
    -- An array with = ANY keeps this an index probe; a semi-join against jsonb_array_elements gets planned as a
    -- sequential scan of the whole log.
    ids := ARRAY(SELECT (x->>'id')::uuid FROM jsonb_array_elements(item->'ev') AS t(x));
    IF EXISTS (SELECT 1 FROM ${s}.events e WHERE e.event_id = ANY (ids)) THEN
      out_status := 'duplicate_event_id'; out_revision := head; out_position := NULL;
      RETURN NEXT;
      CONTINUE;
    END IF;
    INSERT INTO ${s}.events (position, stream_id, revision, event_id, type, data, metadata, recorded_at)
    SELECT pos + t.n, item->>'s', coalesce(head, -1) + t.n, (t.x->>'id')::uuid, t.x->>'type', t.x->'data',
           t.x->'metadata', recorded
    FROM jsonb_array_elements(item->'ev') WITH ORDINALITY AS t(x, n);
    GET DIAGNOSTICS inserted = ROW_COUNT;
    pos := pos + inserted;
    appended := appended OR inserted > 0;
    out_status := 'ok'; out_revision := coalesce(head, -1) + inserted; out_position := pos;
    RETURN NEXT;
  END LOOP;
  IF appended THEN
    -- Delivered only on COMMIT; listeners treat it as a hint to poll, never as the source of truth.
    PERFORM pg_notify('${channel}', pos::text);
  END IF;
END
$fn$;
`;
}

/** What createSchemaIfAbsent needs of a connection: pg's PoolClient and Client answer { rows }, TypeORM's QueryRunner the rows. */
interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/**
 * Creates a schema unless it exists, in the caller's transaction, which then holds a lock on the name until it ends.
 * The event store, the subject keys and the model artifacts share one schema by default, and each creates it at start:
 * CREATE SCHEMA IF NOT EXISTS alone fails one of two at once with a unique violation on pg_namespace. Every store takes
 * this lock before its own DDL lock. It cannot deadlock: the read models hold their migration lock first, but no one
 * takes that lock after this one. An existing schema is not created again, since CREATE SCHEMA IF NOT EXISTS needs the
 * right to create in the database even then, and a role given only the schema lacks it.
 */
export async function createSchemaIfAbsent(client: Queryable, schema: string): Promise<void> {
  // The configuration's rule for every schema name; each store may be stricter (quoteSchema: 48 characters).
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`Invalid PostgreSQL schema name "${schema}"`);
  await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [SCHEMA_LOCK_CLASS, schema]);
  const found = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
  const rows = Array.isArray(found) ? found : (found as { rows: unknown[] }).rows;
  if (rows.length === 0) await client.query(`CREATE SCHEMA "${schema}"`);
}

/**
 * Creates the schema, tables and append function if missing, idempotently. A transaction-scoped advisory lock keyed
 * on the schema name serialises processes that start at the same time (CREATE ... IF NOT EXISTS alone races on the
 * catalog's unique indexes).
 */
export async function ensurePostgresSchema(pool: Pool, schema: string): Promise<void> {
  const s = quoteSchema(schema);
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (e) {
    throw toUnavailable(e, 'connect');
  }
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    await createSchemaIfAbsent(client, schema);
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [DDL_LOCK_CLASS, schema]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${s}.schema_version (
         component text PRIMARY KEY, version int NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const res = await client.query<{ version: number }>(
      `SELECT version FROM ${s}.schema_version WHERE component = 'event-store'`,
    );
    const current = res.rows[0]?.version ?? 0;
    if (current > POSTGRES_SCHEMA_VERSION) {
      throw new EventStoreUnavailableError(
        `Schema "${schema}" is at event-store version ${current}, newer than this adapter (${POSTGRES_SCHEMA_VERSION})`,
      );
    }
    if (current < POSTGRES_SCHEMA_VERSION) {
      await client.query(ddl(schema));
      await client.query(
        `INSERT INTO ${s}.schema_version (component, version) VALUES ('event-store', $1)
         ON CONFLICT (component) DO UPDATE SET version = EXCLUDED.version, applied_at = now()`,
        [POSTGRES_SCHEMA_VERSION],
      );
    }
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw toUnavailable(e, `ensure schema "${schema}"`);
  } finally {
    client.release(broken);
  }
}

/** SQLSTATEs of a schema or table that is not there. */
const ABSENT = new Set(['3F000', '42P01']);

/**
 * For an instance that only reads: the schema must hold an event store at this adapter's version. Nothing is created,
 * locked or changed, so a role with only USAGE on the schema and SELECT on its tables can open it (an auditor's).
 */
export async function readablePostgresSchema(pool: Pool, schema: string): Promise<void> {
  const s = quoteSchema(schema);
  const absent = (cause?: unknown) =>
    new EventStoreUnavailableError(`Schema "${schema}" holds no event store, and an instance opened to read only creates none`, { cause });
  let current: number | undefined;
  try {
    const res = await pool.query<{ version: number }>(`SELECT version FROM ${s}.schema_version WHERE component = 'event-store'`);
    current = res.rows[0]?.version;
  } catch (e) {
    if (ABSENT.has(String((e as { code?: unknown }).code))) throw absent(e);
    throw toUnavailable(e, `read the version of schema "${schema}"`);
  }
  if (current === undefined) throw absent();
  if (current !== POSTGRES_SCHEMA_VERSION) {
    throw new EventStoreUnavailableError(
      `Schema "${schema}" is at event-store version ${current}, not this adapter's (${POSTGRES_SCHEMA_VERSION}); an instance opened to read only migrates nothing`,
    );
  }
}

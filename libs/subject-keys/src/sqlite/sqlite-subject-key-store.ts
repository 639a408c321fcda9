import Database, { type Database as Db, type Statement } from 'better-sqlite3';
import { SubjectKeyStoreUnavailableError } from '../subject-key-store.errors';
import type { ErasureRecord, RegisterResult, StoredIdentity, StoredSubjectKey, SubjectKeyStore } from '../subject-key-store.port';
import { IDENTITY_COLUMNS, KEY_COLUMNS, toIdentity, toKey, type IdentityRow, type KeyRow } from '../stored-rows';

/** Ids per statement: well under SQLite's parameter limit (32,766 today, 999 in old builds). */
const CHUNK = 500;
const BUSY_TIMEOUT_MS = 5000;
const TABLES = ['subject_keys', 'subject_identities', 'subject_erasures'];

// Only live keys are stored: erase deletes the rows, so nothing else can ever open what they sealed.
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS subject_keys (
    key_id      TEXT PRIMARY KEY,
    subject_ref TEXT NOT NULL UNIQUE,
    wrapped     BLOB NOT NULL,
    created_at  INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS subject_identities (
    pseudonym   TEXT PRIMARY KEY,
    field       TEXT NOT NULL,
    subject_ref TEXT NOT NULL,
    key_id      TEXT NOT NULL,
    sealed      BLOB NOT NULL
  );
  CREATE INDEX IF NOT EXISTS subject_identities_subject ON subject_identities (subject_ref);
  -- AUTOINCREMENT: a sequence is never reused, so a follower never mistakes a new erasure for one it has applied.
  CREATE TABLE IF NOT EXISTS subject_erasures (
    sequence    INTEGER PRIMARY KEY AUTOINCREMENT,
    subject_ref TEXT NOT NULL,
    erased_at   INTEGER NOT NULL,
    key_ids     TEXT NOT NULL,
    identities  TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS subject_erasures_subject ON subject_erasures (subject_ref, sequence);
`;

interface ErasureRow {
  sequence: number;
  subject_ref: string;
  erased_at: number;
  key_ids: string;
  identities: string;
}

const toErasure = (r: ErasureRow): ErasureRecord => ({
  sequence: r.sequence,
  subjectRef: r.subject_ref,
  erasedAt: new Date(r.erased_at),
  keyIds: JSON.parse(r.key_ids) as string[],
  identities: JSON.parse(r.identities) as { field: string; pseudonym: string }[],
});

/** Thrown inside the register transaction so better-sqlite3 rolls it back; never leaves this file. */
class Refused {
  constructor(readonly liveKeys: StoredSubjectKey[]) {}
}

/**
 * The subject key store in the event store's SQLite file, on a connection of its own: WAL (as the event store), and
 * synchronous=FULL so a registered key is on disk before a decision sealed under it is appended. Every write is a
 * BEGIN IMMEDIATE transaction, so writers in other connections or processes are serialised by SQLite itself.
 */
export class SqliteSubjectKeyStore implements SubjectKeyStore {
  private readonly statements = new Map<string, Statement>();

  private constructor(private readonly db: Db) {}

  static async open(file: string): Promise<SqliteSubjectKeyStore> {
    let db: Db;
    try {
      db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    } catch (e) {
      throw new SubjectKeyStoreUnavailableError(`Cannot open the SQLite subject key store at ${file}: ${(e as Error).message}`, { cause: e });
    }
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      ensureSchema(db);
    } catch (e) {
      db.close();
      throw new SubjectKeyStoreUnavailableError(`Cannot initialise the SQLite subject key store at ${file}: ${(e as Error).message}`, { cause: e });
    }
    return new SqliteSubjectKeyStore(db);
  }

  async liveKeys(subjectRefs: readonly string[]): Promise<StoredSubjectKey[]> {
    return this.guard('reading keys', () => this.select<KeyRow>(`SELECT ${KEY_COLUMNS} FROM subject_keys WHERE subject_ref IN`, subjectRefs).map(toKey));
  }

  async anyKey(): Promise<StoredSubjectKey | undefined> {
    return this.guard('reading keys', () => {
      const row = this.db.prepare(`SELECT ${KEY_COLUMNS} FROM subject_keys LIMIT 1`).get() as KeyRow | undefined;
      return row && toKey(row);
    });
  }

  async keysById(keyIds: readonly string[]): Promise<StoredSubjectKey[]> {
    return this.guard('reading keys', () => this.select<KeyRow>(`SELECT ${KEY_COLUMNS} FROM subject_keys WHERE key_id IN`, keyIds).map(toKey));
  }

  async identities(pseudonyms: readonly string[]): Promise<StoredIdentity[]> {
    return this.guard('reading identities', () =>
      this.select<IdentityRow>(`SELECT ${IDENTITY_COLUMNS} FROM subject_identities WHERE pseudonym IN`, pseudonyms).map(toIdentity),
    );
  }

  async register(keys: readonly StoredSubjectKey[], identities: readonly StoredIdentity[]): Promise<RegisterResult> {
    if (keys.length === 0 && identities.length === 0) return { ok: true };
    const run = this.db.transaction((): RegisterResult => {
      const insertKey = this.prepared('INSERT OR IGNORE INTO subject_keys (key_id, subject_ref, wrapped, created_at) VALUES (?, ?, ?, ?)');
      const now = Date.now();
      for (const k of keys) insertKey.run(k.keyId, k.subjectRef, k.wrapped, now);
      const refs = [...keys, ...identities].map((x) => x.subjectRef);
      const live = new Map(this.select<KeyRow>(`SELECT ${KEY_COLUMNS} FROM subject_keys WHERE subject_ref IN`, refs).map((r) => [r.subject_ref, r]));
      // A new key that lost to another writer's is refused too: the caller must not seal under a key that is not stored.
      const refused = new Set([...keys, ...identities].filter((x) => live.get(x.subjectRef)?.key_id !== x.keyId).map((x) => x.subjectRef));
      if (refused.size > 0) throw new Refused([...refused].flatMap((ref) => (live.has(ref) ? [toKey(live.get(ref)!)] : [])));
      const insertIdentity = this.prepared(`INSERT OR IGNORE INTO subject_identities (${IDENTITY_COLUMNS}) VALUES (?, ?, ?, ?, ?)`);
      for (const i of identities) insertIdentity.run(i.pseudonym, i.field, i.subjectRef, i.keyId, i.sealed);
      return { ok: true };
    });
    try {
      return this.guard('registering keys', () => run.immediate());
    } catch (e) {
      if (e instanceof Refused) return { ok: false, liveKeys: e.liveKeys };
      throw e;
    }
  }

  async erase(subjectRef: string, erasedAt: Date): Promise<ErasureRecord> {
    const run = this.db.transaction((): ErasureRecord => {
      const keyIds = (this.prepared('DELETE FROM subject_keys WHERE subject_ref = ? RETURNING key_id').all(subjectRef) as { key_id: string }[])
        .map((r) => r.key_id)
        .sort();
      const identities = (this.prepared('DELETE FROM subject_identities WHERE subject_ref = ? RETURNING field, pseudonym').all(subjectRef) as { field: string; pseudonym: string }[])
        .map((r) => ({ field: r.field, pseudonym: r.pseudonym }))
        .sort((a, b) => (a.pseudonym < b.pseudonym ? -1 : a.pseudonym > b.pseudonym ? 1 : 0));
      const { sequence } = this.prepared('INSERT INTO subject_erasures (subject_ref, erased_at, key_ids, identities) VALUES (?, ?, ?, ?) RETURNING sequence').get(
        subjectRef,
        erasedAt.getTime(),
        JSON.stringify(keyIds),
        JSON.stringify(identities),
      ) as { sequence: number };
      return { sequence, subjectRef, erasedAt: new Date(erasedAt.getTime()), keyIds, identities };
    });
    return this.guard('erasing a subject', () => run.immediate());
  }

  async erasuresAfter(afterSequence: number, limit: number): Promise<ErasureRecord[]> {
    return this.guard('reading erasures', () =>
      (this.prepared('SELECT * FROM subject_erasures WHERE sequence > ? ORDER BY sequence LIMIT ?').all(afterSequence, Math.max(0, Math.floor(limit))) as ErasureRow[]).map(toErasure),
    );
  }

  async lastErasure(subjectRef: string): Promise<ErasureRecord | undefined> {
    return this.guard('reading erasures', () => {
      const row = this.prepared('SELECT * FROM subject_erasures WHERE subject_ref = ? ORDER BY sequence DESC LIMIT 1').get(subjectRef) as ErasureRow | undefined;
      return row ? toErasure(row) : undefined;
    });
  }

  async close(): Promise<void> {
    this.statements.clear();
    if (this.db.open) this.db.close();
  }

  /** `sql` ends with `IN`; the distinct ids go in chunks so no statement exceeds the parameter limit. */
  private select<T>(sql: string, ids: readonly string[]): T[] {
    const unique = [...new Set(ids)];
    const rows: T[] = [];
    for (let i = 0; i < unique.length; i += CHUNK) {
      const chunk = unique.slice(i, i + CHUNK);
      rows.push(...(this.prepared(`${sql} (${chunk.map(() => '?').join(', ')})`).all(...chunk) as T[]));
    }
    return rows;
  }

  private prepared(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      // Bounded: chunked selects produce at most CHUNK shapes each.
      if (this.statements.size < 4 * CHUNK) this.statements.set(sql, statement);
    }
    return statement;
  }

  private guard<T>(what: string, work: () => T): T {
    try {
      return work();
    } catch (e) {
      if (e instanceof Refused) throw e;
      throw new SubjectKeyStoreUnavailableError(`SQLite subject key store: ${what} failed: ${(e as Error).message}`, { cause: e });
    }
  }
}

/** Creates the tables under the write lock, and only when missing: opening an up-to-date file never writes. */
function ensureSchema(db: Db): void {
  const present = (): number =>
    (db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN (${TABLES.map(() => '?').join(', ')})`).get(...TABLES) as { n: number }).n;
  if (present() === TABLES.length) return;
  db.transaction(() => db.exec(SCHEMA)).immediate();
}

import Database, { type Database as Db } from 'better-sqlite3';
import { SubjectKeyStoreUnavailableError } from '../subject-key-store.errors';
import type { ErasureRecord, RegisterResult, StoredIdentity, StoredSubjectKey, SubjectKeyStore } from '../subject-key-store.port';

/** Ids per statement: well under SQLite's parameter limit. */
const CHUNK = 500;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS subject_keys (
  key_id TEXT PRIMARY KEY,
  subject_ref TEXT NOT NULL UNIQUE,
  wrapped BLOB NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS subject_identities (
  pseudonym TEXT PRIMARY KEY,
  field TEXT NOT NULL,
  subject_ref TEXT NOT NULL,
  key_id TEXT NOT NULL,
  sealed BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS subject_identities_subject ON subject_identities (subject_ref);
CREATE TABLE IF NOT EXISTS subject_erasures (
  sequence INTEGER PRIMARY KEY AUTOINCREMENT,
  subject_ref TEXT NOT NULL,
  erased_at TEXT NOT NULL,
  key_ids TEXT NOT NULL,
  identities TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS subject_erasures_subject ON subject_erasures (subject_ref, sequence);
`;

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
  sequence: number;
  subject_ref: string;
  erased_at: string;
  key_ids: string;
  identities: string;
}

const toKey = (r: KeyRow): StoredSubjectKey => ({ keyId: r.key_id, subjectRef: r.subject_ref, wrapped: Buffer.from(r.wrapped) });
const toIdentity = (r: IdentityRow): StoredIdentity => ({ pseudonym: r.pseudonym, field: r.field, subjectRef: r.subject_ref, keyId: r.key_id, sealed: Buffer.from(r.sealed) });
const toErasure = (r: ErasureRow): ErasureRecord => ({
  sequence: r.sequence,
  subjectRef: r.subject_ref,
  erasedAt: new Date(r.erased_at),
  keyIds: JSON.parse(r.key_ids) as string[],
  identities: JSON.parse(r.identities) as { field: string; pseudonym: string }[],
});

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/**
 * The subject key store in the event store's SQLite file, on a connection of its own: WAL (as the event store), and
 * synchronous=FULL so a registered key is on disk before the decision that needs it is appended.
 */
export class SqliteSubjectKeyStore implements SubjectKeyStore {
  private constructor(private readonly db: Db) {}

  static async open(file: string): Promise<SqliteSubjectKeyStore> {
    let db: Db;
    try {
      db = new Database(file, { timeout: 5000 });
    } catch (e) {
      throw new SubjectKeyStoreUnavailableError(`Cannot open the subject key store at ${file}`, { cause: e });
    }
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.exec(SCHEMA);
    } catch (e) {
      db.close();
      throw new SubjectKeyStoreUnavailableError(`Cannot initialise the subject key store at ${file}`, { cause: e });
    }
    return new SqliteSubjectKeyStore(db);
  }

  async liveKeys(subjectRefs: readonly string[]): Promise<StoredSubjectKey[]> {
    return this.select<KeyRow>('SELECT key_id, subject_ref, wrapped FROM subject_keys WHERE subject_ref IN', subjectRefs).map(toKey);
  }

  async keysById(keyIds: readonly string[]): Promise<StoredSubjectKey[]> {
    return this.select<KeyRow>('SELECT key_id, subject_ref, wrapped FROM subject_keys WHERE key_id IN', keyIds).map(toKey);
  }

  async identities(pseudonyms: readonly string[]): Promise<StoredIdentity[]> {
    return this.select<IdentityRow>('SELECT pseudonym, field, subject_ref, key_id, sealed FROM subject_identities WHERE pseudonym IN', pseudonyms).map(toIdentity);
  }

  async register(keys: readonly StoredSubjectKey[], identities: readonly StoredIdentity[]): Promise<RegisterResult> {
    const insertKey = this.db.prepare('INSERT OR IGNORE INTO subject_keys (key_id, subject_ref, wrapped, created_at) VALUES (?, ?, ?, ?)');
    const insertIdentity = this.db.prepare('INSERT OR IGNORE INTO subject_identities (pseudonym, field, subject_ref, key_id, sealed) VALUES (?, ?, ?, ?, ?)');
    const run = this.db.transaction((): RegisterResult => {
      const now = new Date().toISOString();
      for (const k of keys) insertKey.run(k.keyId, k.subjectRef, k.wrapped, now);
      const refs = [...new Set([...keys.map((k) => k.subjectRef), ...identities.map((i) => i.subjectRef)])];
      const live = new Map(this.select<KeyRow>('SELECT key_id, subject_ref, wrapped FROM subject_keys WHERE subject_ref IN', refs).map((r) => [r.subject_ref, r]));
      const stale = [...new Set(identities.filter((i) => live.get(i.subjectRef)?.key_id !== i.keyId).map((i) => i.subjectRef))];
      const lostKeys = keys.filter((k) => live.get(k.subjectRef)?.key_id !== k.keyId).map((k) => k.subjectRef);
      if (stale.length > 0 || lostKeys.length > 0) {
        // Roll back: the caller seals again under the live keys and retries.
        throw new Refused([...new Set([...stale, ...lostKeys])].flatMap((ref) => (live.has(ref) ? [toKey(live.get(ref) as KeyRow)] : [])));
      }
      for (const i of identities) insertIdentity.run(i.pseudonym, i.field, i.subjectRef, i.keyId, i.sealed);
      return { ok: true };
    });
    try {
      return run.immediate();
    } catch (e) {
      if (e instanceof Refused) return { ok: false, liveKeys: e.liveKeys };
      throw e;
    }
  }

  async erase(subjectRef: string, erasedAt: Date): Promise<ErasureRecord> {
    const run = this.db.transaction((): ErasureRecord => {
      const keyIds = (this.db.prepare('SELECT key_id FROM subject_keys WHERE subject_ref = ?').all(subjectRef) as { key_id: string }[]).map((r) => r.key_id);
      const identities = this.db.prepare('SELECT field, pseudonym FROM subject_identities WHERE subject_ref = ? ORDER BY pseudonym').all(subjectRef) as { field: string; pseudonym: string }[];
      this.db.prepare('DELETE FROM subject_identities WHERE subject_ref = ?').run(subjectRef);
      this.db.prepare('DELETE FROM subject_keys WHERE subject_ref = ?').run(subjectRef);
      const row = this.db
        .prepare('INSERT INTO subject_erasures (subject_ref, erased_at, key_ids, identities) VALUES (?, ?, ?, ?) RETURNING sequence')
        .get(subjectRef, erasedAt.toISOString(), JSON.stringify(keyIds), JSON.stringify(identities)) as { sequence: number };
      return { sequence: row.sequence, subjectRef, erasedAt, keyIds, identities };
    });
    return run.immediate();
  }

  async erasuresAfter(afterSequence: number, limit: number): Promise<ErasureRecord[]> {
    const rows = this.db.prepare('SELECT * FROM subject_erasures WHERE sequence > ? ORDER BY sequence LIMIT ?').all(afterSequence, limit) as ErasureRow[];
    return rows.map(toErasure);
  }

  async lastErasure(subjectRef: string): Promise<ErasureRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM subject_erasures WHERE subject_ref = ? ORDER BY sequence DESC LIMIT 1').get(subjectRef) as ErasureRow | undefined;
    return row ? toErasure(row) : undefined;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private select<T>(sql: string, ids: readonly string[]): T[] {
    const unique = [...new Set(ids)];
    return chunks(unique).flatMap((chunk) => this.db.prepare(`${sql} (${chunk.map(() => '?').join(', ')})`).all(...chunk) as T[]);
  }
}

class Refused extends Error {
  constructor(readonly liveKeys: StoredSubjectKey[]) {
    super('another writer keyed these subjects first');
  }
}

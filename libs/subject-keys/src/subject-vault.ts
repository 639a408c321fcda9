import { randomBytes } from 'node:crypto';
import {
  open,
  protectRequest,
  seal,
  sealPersonal,
  unwrapKey,
  wrapKey,
  openPersonalOrNothing,
  Pseudonymizer,
  type DecisionRequest,
  type DerivedKeys,
  type PersonalEnvelope,
  type PersonalValues,
  type PrivacyPolicy,
  type ProtectedRequest,
  type SealedBox,
} from '@verdict/domain';
import { BoundedMap } from '@verdict/domain/bounded-map';
import { MasterKeyMismatchError } from './subject-key-store.errors';
import type { ErasureRecord, StoredIdentity, StoredSubjectKey, SubjectKeyStore } from './subject-key-store.port';

/** A subject's live key, clear, in memory only. */
export interface SubjectKey {
  readonly keyId: string;
  readonly key: Buffer;
}

export interface SubjectVaultOptions {
  /** Keys and revealed values kept in memory (each). */
  readonly cacheSize?: number;
}

/** Attempts at registering before giving up on a subject other writers keep re-keying (erasing) under us. */
const MAX_REGISTER_ATTEMPTS = 5;

/**
 * Personal data on the way in and out (docs/security.md, "Erasure"): pseudonyms and envelopes for new decisions,
 * durable subject keys before any decision depends on them, and clear values for reads while the subject's key lives.
 * Concurrent callers that need new keys or identities share one transaction (group commit): a burst of new
 * subjects costs one fsync, and a subject already known costs no I/O at all.
 */
export class SubjectVault {
  readonly pseudonyms: Pseudonymizer;
  private readonly keys: BoundedMap<string, SubjectKey>;
  private readonly keysById: BoundedMap<string, Buffer>;
  private readonly registered: BoundedMap<string, true>;
  private readonly revealed: BoundedMap<string, string>;
  /**
   * Keys this instance saw erased. A read that reached the store before an erasure committed can come back after
   * forget() ran; what it fetched must not be cached again (key ids are random and never reused).
   */
  private readonly erasedKeyIds: BoundedMap<string, true>;
  private queue: { items: ProtectedRequest[]; done: (e?: unknown, keys?: ReadonlyMap<string, SubjectKey>) => void }[] = [];
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly store: SubjectKeyStore,
    private readonly derived: DerivedKeys,
    readonly policy: PrivacyPolicy,
    options: SubjectVaultOptions = {},
  ) {
    const size = options.cacheSize ?? 100_000;
    this.pseudonyms = new Pseudonymizer(derived.pseudonyms);
    this.keys = new BoundedMap(size);
    this.keysById = new BoundedMap(size);
    this.registered = new BoundedMap(size * 4);
    this.revealed = new BoundedMap(size * 4);
    this.erasedKeyIds = new BoundedMap(size * 4);
  }

  /**
   * Refuses a master key that did not wrap the stored keys: an instance with another one would not fail, but make
   * keys and pseudonyms of its own, splitting every subject and its history.
   */
  async checkMasterKey(): Promise<void> {
    const any = await this.store.anyKey();
    if (!any) return;
    try {
      this.unwrap(any);
    } catch {
      throw new MasterKeyMismatchError(any.keyId);
    }
  }

  /** Pure and synchronous: the request as the log will hold it. */
  protect(request: DecisionRequest): ProtectedRequest {
    return protectRequest(request, this.policy, this.pseudonyms);
  }

  /**
   * Makes every subject key and identity of these requests durable (one shared transaction for all concurrent
   * callers), so that a decision sealed under them can be read for as long as the subject is not erased. Returns the
   * key of each request's subject, to seal with: an erasure that lands meanwhile drops them from the cache, and must
   * not fail the decisions in flight (they are sealed under the destroyed key, so unreadable, as docs/security.md says).
   */
  async prepare(items: readonly ProtectedRequest[]): Promise<ReadonlyMap<string, SubjectKey>> {
    const keys = new Map<string, SubjectKey>();
    const pending: ProtectedRequest[] = [];
    for (const p of items) {
      if (!p.subject) continue;
      const key = this.keys.get(p.subject.ref);
      if (key && p.identities.every((i) => this.registered.has(i.pseudonym))) keys.set(p.subject.ref, key);
      else pending.push(p);
    }
    if (pending.length === 0) return keys;
    const registered = await new Promise<ReadonlyMap<string, SubjectKey>>((resolve, reject) => {
      this.queue.push({ items: pending, done: (e, k) => (e === undefined ? resolve(k as ReadonlyMap<string, SubjectKey>) : reject(e)) });
      this.flushing ??= this.flushLoop();
    });
    for (const p of pending) {
      const key = registered.get((p.subject as { ref: string }).ref);
      if (key) keys.set((p.subject as { ref: string }).ref, key);
    }
    return keys;
  }

  /**
   * The envelope of a prepared request, bound to its decision, under the key prepare() gave (or, without one, the
   * subject's cached key). Undefined when nothing in it is personal.
   */
  envelope(item: ProtectedRequest, decisionId: string, keys?: ReadonlyMap<string, SubjectKey>): PersonalEnvelope | undefined {
    if (!item.subject || !item.personal) return undefined;
    const key = (keys ?? this.keys).get(item.subject.ref);
    if (!key) throw new Error(`no key for subject ${item.subject.ref}: prepare() must come first`);
    return sealPersonal(item.personal, item.subject.ref, key, decisionId);
  }

  /** Clear values (JSON) of these pseudonyms; a pseudonym missing from the map is erased (or was never known). */
  async reveal(pseudonyms: Iterable<string>): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const missing: string[] = [];
    for (const p of new Set(pseudonyms)) {
      const hit = this.revealed.get(p);
      if (hit !== undefined) out.set(p, hit);
      else missing.push(p);
    }
    if (missing.length === 0) return out;
    const identities = await this.store.identities(missing);
    const keys = await this.fetchKeys(identities.map((i) => i.keyId));
    for (const identity of identities) {
      const key = keys.get(identity.keyId);
      if (!key) continue;
      const value = open(key, JSON.parse(identity.sealed.toString('utf8')) as SealedBox, identity.pseudonym);
      this.revealed.set(identity.pseudonym, value);
      out.set(identity.pseudonym, value);
    }
    return out;
  }

  /** A decision's envelope opened; undefined when its subject's key is gone (erased). */
  async openEnvelope(envelope: PersonalEnvelope, decisionId: string): Promise<PersonalValues | undefined> {
    return (await this.openEnvelopes([{ envelope, decisionId }]))[0];
  }

  /**
   * Many envelopes, their keys fetched in one read: each opened, or undefined when it cannot be: its key is gone
   * (erased), or it does not authenticate under it (bound to another decision, or altered: the seals tell which).
   */
  async openEnvelopes(items: readonly { envelope: PersonalEnvelope; decisionId: string }[]): Promise<(PersonalValues | undefined)[]> {
    const keys = await this.fetchKeys(items.map((i) => i.envelope.keyId));
    return items.map(({ envelope, decisionId }) => openPersonalOrNothing(envelope, keys.get(envelope.keyId), decisionId));
  }

  /** Destroys the subject's keys and identities; this instance forgets them at once. */
  async erase(subjectId: string, erasedAt = new Date()): Promise<ErasureRecord> {
    const ref = this.pseudonyms.subject(subjectId);
    const record = await this.store.erase(ref, erasedAt);
    this.forget(record);
    return record;
  }

  /** Drops what this instance cached of an erasure (its own, or another instance's seen in the store). */
  forget(record: Pick<ErasureRecord, 'subjectRef' | 'keyIds' | 'identities'>): void {
    this.pseudonyms.forget([record.subjectRef, ...record.identities.map((i) => i.pseudonym)]);
    this.keys.delete(record.subjectRef);
    for (const keyId of record.keyIds) {
      this.keysById.delete(keyId);
      this.erasedKeyIds.set(keyId, true);
    }
    for (const { pseudonym } of record.identities) {
      this.registered.delete(pseudonym);
      this.revealed.delete(pseudonym);
    }
  }

  /** The subject's latest erasure, if any. */
  lastErasure(subjectId: string): Promise<ErasureRecord | undefined> {
    return this.store.lastErasure(this.pseudonyms.subject(subjectId));
  }

  /** Erasures made by any instance after `sequence`: what a follower applies with forget(). */
  erasuresAfter(sequence: number, limit = 500): Promise<ErasureRecord[]> {
    return this.store.erasuresAfter(sequence, limit);
  }

  /**
   * Subject keys by id, the ones not cached fetched in one read: an id missing from the answer has no key (erased).
   * The buffers are the cache's own: read-only for the caller.
   */
  async fetchKeys(keyIds: readonly string[]): Promise<Map<string, Buffer>> {
    const out = new Map<string, Buffer>();
    const missing: string[] = [];
    for (const id of new Set(keyIds)) {
      const hit = this.keysById.get(id);
      if (hit) out.set(id, hit);
      else missing.push(id);
    }
    if (missing.length === 0) return out;
    for (const stored of await this.store.keysById(missing)) {
      if (this.erasedKeyIds.has(stored.keyId)) continue; // read before its erasure committed, answered after
      const key = this.unwrap(stored);
      this.keysById.set(stored.keyId, key);
      out.set(stored.keyId, key);
    }
    return out;
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        try {
          const keys = await this.register(batch.flatMap((b) => b.items));
          for (const b of batch) b.done(undefined, keys);
        } catch (e) {
          for (const b of batch) b.done(e);
        }
      }
    } finally {
      this.flushing = undefined;
    }
  }

  /**
   * One transaction for every new key and identity of the batch, sealed again if another writer keyed first.
   * Returns the key each subject's identities were sealed under.
   */
  private async register(items: readonly ProtectedRequest[]): Promise<ReadonlyMap<string, SubjectKey>> {
    const refs = [...new Set(items.map((p) => p.subject?.ref).filter((r): r is string => r !== undefined))];
    const unknown = refs.filter((r) => !this.keys.has(r));
    if (unknown.length > 0) for (const stored of await this.store.liveKeys(unknown)) this.adopt(stored);
    for (let attempt = 1; ; attempt++) {
      const fresh = new Map<string, { stored: StoredSubjectKey; key: SubjectKey }>();
      const identities = new Map<string, StoredIdentity>();
      const used = new Map<string, SubjectKey>();
      for (const item of items) {
        if (!item.subject) continue;
        const ref = item.subject.ref;
        let key = used.get(ref) ?? this.keys.get(ref);
        if (!key) {
          key = { keyId: randomBytes(16).toString('base64url'), key: randomBytes(32) };
          fresh.set(ref, { stored: { keyId: key.keyId, subjectRef: ref, wrapped: wrapKey(this.derived.wrapping, key.key, key.keyId, ref) }, key });
        }
        used.set(ref, key);
        for (const identity of item.identities) {
          if (this.registered.has(identity.pseudonym) || identities.has(identity.pseudonym)) continue;
          const sealed = Buffer.from(JSON.stringify(seal(key.key, identity.value, identity.pseudonym)), 'utf8');
          identities.set(identity.pseudonym, { pseudonym: identity.pseudonym, field: identity.field, subjectRef: ref, keyId: key.keyId, sealed });
        }
      }
      const result = await this.store.register([...fresh.values()].map((f) => f.stored), [...identities.values()]);
      if (result.ok) {
        for (const [ref, f] of fresh) {
          this.keys.set(ref, f.key);
          this.keysById.set(f.key.keyId, f.key.key);
        }
        for (const identity of identities.values()) this.registered.set(identity.pseudonym, true);
        return used;
      }
      // Another writer keyed a subject first, or erased one we had cached: take the store's word for all of them.
      for (const ref of refs) this.keys.delete(ref);
      for (const stored of await this.store.liveKeys(refs)) this.adopt(stored);
      if (attempt >= MAX_REGISTER_ATTEMPTS) throw new Error(`subject keys kept changing under ${MAX_REGISTER_ATTEMPTS} attempts to register them`);
    }
  }

  private adopt(stored: StoredSubjectKey): void {
    if (this.erasedKeyIds.has(stored.keyId)) return; // read before its erasure committed, answered after
    const key = this.unwrap(stored);
    this.keys.set(stored.subjectRef, { keyId: stored.keyId, key });
    this.keysById.set(stored.keyId, key);
  }

  private unwrap(stored: StoredSubjectKey): Buffer {
    return unwrapKey(this.derived.wrapping, stored.wrapped, stored.keyId, stored.subjectRef);
  }
}

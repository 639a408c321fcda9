import { randomBytes } from 'node:crypto';
import type { StoredIdentity, StoredSubjectKey, SubjectKeyStore } from '../subject-key-store.port';

/** What each adapter provides to the contract: a store on a fresh location, and more instances on that location. */
export interface SubjectKeyStoreTarget {
  readonly name: string;
  /**
   * `second()` opens another instance on the same location (another writer); `reopen()` closes `store` and opens the
   * location again; `dispose()` closes `store` unless reopened, and removes the location.
   */
  open(): Promise<{ store: SubjectKeyStore; second(): Promise<SubjectKeyStore>; reopen(): Promise<SubjectKeyStore>; dispose(): Promise<void> }>;
}

const id = (): string => randomBytes(12).toString('base64url');
/** Every byte value, so an adapter that treats the bytes as text fails. */
const bytes = (n = 300): Buffer => Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(n)]);
const newKey = (subjectRef = `subj-${id()}`): StoredSubjectKey => ({ keyId: id(), subjectRef, wrapped: bytes(60) });
const identityOf = (key: StoredSubjectKey, field = 'cardId', pseudonym = `ps-${id()}`): StoredIdentity => ({
  pseudonym,
  field,
  subjectRef: key.subjectRef,
  keyId: key.keyId,
  sealed: bytes(),
});
const byKeyId = (keys: StoredSubjectKey[]): StoredSubjectKey[] => [...keys].sort((a, b) => a.keyId.localeCompare(b.keyId));
const byPseudonym = <T extends { pseudonym: string }>(items: readonly T[]): T[] => [...items].sort((a, b) => (a.pseudonym < b.pseudonym ? -1 : a.pseudonym > b.pseudonym ? 1 : 0));
const plain = <T extends object>(items: readonly T[]): T[] => items.map((x) => ({ ...x }));

/** The contract every SubjectKeyStore adapter passes. */
export function subjectKeyStoreContract(target: SubjectKeyStoreTarget): void {
  describe(`SubjectKeyStore contract (${target.name})`, () => {
    let opened: Awaited<ReturnType<SubjectKeyStoreTarget['open']>>;
    let store: SubjectKeyStore;
    const others: SubjectKeyStore[] = [];
    const second = async (): Promise<SubjectKeyStore> => {
      const s = await opened.second();
      others.push(s);
      return s;
    };
    beforeEach(async () => {
      opened = await target.open();
      store = opened.store;
    });
    afterEach(async () => {
      for (const s of others.splice(0)) await s.close().catch(() => undefined);
      await opened.dispose();
    });

    it('round-trips keys and identities byte for byte, and answers nothing for unknown or empty lists', async () => {
      const [a, b] = [newKey(), newKey()];
      const ids = [identityOf(a, 'cardId'), identityOf(a, 'attributes.email'), identityOf(b, 'ip')];
      expect(await store.register([a, b], ids)).toEqual({ ok: true });
      expect(byKeyId(await store.liveKeys([a.subjectRef, b.subjectRef, a.subjectRef, 'subj-unknown']))).toEqual(byKeyId([a, b]));
      expect(byKeyId(await store.keysById([b.keyId, a.keyId, 'key-unknown']))).toEqual(byKeyId([a, b]));
      const got = await store.identities([...ids.map((i) => i.pseudonym), 'ps-unknown']);
      expect(byPseudonym(plain(got))).toEqual(byPseudonym(plain(ids)));
      for (const i of got) expect(Buffer.compare(i.sealed, ids.find((x) => x.pseudonym === i.pseudonym)!.sealed)).toBe(0);
      expect(Buffer.compare((await store.keysById([a.keyId]))[0]!.wrapped, a.wrapped)).toBe(0);
      expect(await store.liveKeys([])).toEqual([]);
      expect(await store.keysById([])).toEqual([]);
      expect(await store.identities([])).toEqual([]);
      expect(await store.register([], [])).toEqual({ ok: true });
    });

    it('registers identities alone under an existing key, and a repeated registration is harmless', async () => {
      const key = newKey();
      expect(await store.register([key], [])).toEqual({ ok: true });
      const identity = identityOf(key, 'customerId');
      expect(await store.register([], [identity])).toEqual({ ok: true });
      expect(plain(await store.identities([identity.pseudonym]))).toEqual([identity]);
      expect(await store.register([key], [identity])).toEqual({ ok: true });
      expect(await store.liveKeys([key.subjectRef])).toEqual([key]);
    });

    it('keeps the first registration of a pseudonym', async () => {
      const key = newKey();
      const first = identityOf(key, 'deviceId');
      expect(await store.register([key], [first])).toEqual({ ok: true });
      expect(await store.register([], [{ ...first, sealed: bytes() }])).toEqual({ ok: true });
      expect(plain(await store.identities([first.pseudonym]))).toEqual([first]);
    });

    it('refuses, as a whole, a second key for a subject another writer keyed first, with the live key', async () => {
      const other = await second();
      const winner = newKey();
      expect(await store.register([winner], [identityOf(winner)])).toEqual({ ok: true });
      const loser = newKey(winner.subjectRef);
      const bystander = newKey();
      const refused = await other.register([loser, bystander], [identityOf(loser), identityOf(bystander)]);
      expect(refused).toEqual({ ok: false, liveKeys: [winner] });
      expect(await store.keysById([loser.keyId, bystander.keyId])).toEqual([]);
      expect(await other.liveKeys([bystander.subjectRef])).toEqual([]);
      // A lost key is refused even with no identity: nothing may be sealed under a key that is not stored.
      expect(await other.register([newKey(winner.subjectRef)], [])).toEqual({ ok: false, liveKeys: [winner] });
      // Sealed again under the live key, the same identities go in.
      const retry = identityOf(winner);
      expect(await other.register([], [retry])).toEqual({ ok: true });
      expect(plain(await store.identities([retry.pseudonym]))).toEqual([retry]);
    });

    it('lets exactly one of two racing writers key a new subject', async () => {
      const other = await second();
      const ref = `subj-${id()}`;
      const [k1, k2] = [newKey(ref), newKey(ref)];
      const results = await Promise.all([store.register([k1], [identityOf(k1)]), other.register([k2], [identityOf(k2)])]);
      const live = await store.liveKeys([ref]);
      expect(live).toHaveLength(1);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.find((r) => !r.ok)).toEqual({ ok: false, liveKeys: live });
    });

    it('refuses an identity whose subject has no live key (erased meanwhile)', async () => {
      const key = newKey();
      await store.register([key], []);
      await (await second()).erase(key.subjectRef, new Date());
      expect(await store.register([], [identityOf(key)])).toEqual({ ok: false, liveKeys: [] });
    });

    it('answers one live key as any key, and none once every key is erased', async () => {
      expect(await store.anyKey()).toBeUndefined();
      const only = newKey();
      await store.register([only], []);
      const any = await store.anyKey();
      expect(any).toEqual(only);
      expect(Buffer.compare(any!.wrapped, only.wrapped)).toBe(0);
      await store.erase(only.subjectRef, new Date());
      expect(await store.anyKey()).toBeUndefined();
    });

    it('erases the keys and identities of that subject only, in one record, and returns them', async () => {
      const [gone, kept] = [newKey(), newKey()];
      const goneIds = [identityOf(gone, 'cardId'), identityOf(gone, 'ip'), identityOf(gone, 'attributes.phone')];
      const keptIds = [identityOf(kept, 'cardId')];
      await store.register([gone, kept], [...goneIds, ...keptIds]);
      const erasedAt = new Date('2026-03-04T05:06:07.089Z');
      const record = await store.erase(gone.subjectRef, erasedAt);
      expect(record).toEqual({
        sequence: expect.any(Number),
        subjectRef: gone.subjectRef,
        erasedAt,
        keyIds: [gone.keyId],
        identities: byPseudonym(goneIds.map((i) => ({ field: i.field, pseudonym: i.pseudonym }))),
      });
      expect(await store.liveKeys([gone.subjectRef])).toEqual([]);
      expect(await store.keysById([gone.keyId])).toEqual([]);
      expect(await store.identities(goneIds.map((i) => i.pseudonym))).toEqual([]);
      expect(await store.liveKeys([kept.subjectRef])).toEqual([kept]);
      expect(plain(await store.identities(keptIds.map((i) => i.pseudonym)))).toEqual(keptIds);
      expect(await store.lastErasure(gone.subjectRef)).toEqual(record);
    });

    it('records an erasure of an unknown subject, and a repeated one, as empty erasures', async () => {
      const empty = await store.erase('subj-never-seen', new Date('2026-01-01T00:00:00.000Z'));
      expect(empty).toMatchObject({ subjectRef: 'subj-never-seen', keyIds: [], identities: [] });
      const key = newKey();
      await store.register([key], [identityOf(key)]);
      const first = await store.erase(key.subjectRef, new Date());
      const again = await store.erase(key.subjectRef, new Date());
      expect(again).toMatchObject({ keyIds: [], identities: [] });
      expect(again.sequence).toBeGreaterThan(first.sequence);
      expect(await store.lastErasure(key.subjectRef)).toEqual(again);
      expect(await store.lastErasure('subj-never-seen')).toEqual(empty);
      expect(await store.lastErasure('subj-other')).toBeUndefined();
    });

    it('pages erasures in sequence order, whichever instance made them', async () => {
      const other = await second();
      expect(await store.erasuresAfter(0, 10)).toEqual([]);
      const made = [];
      for (let i = 0; i < 5; i++) made.push(await (i % 2 === 0 ? store : other).erase(`subj-${i}`, new Date(Date.UTC(2026, 0, 1 + i))));
      const sequences = made.map((r) => r.sequence);
      expect([...sequences].sort((a, b) => a - b)).toEqual(sequences);
      expect(new Set(sequences).size).toBe(5);
      const page1 = await other.erasuresAfter(0, 2);
      const page2 = await other.erasuresAfter(page1[1]!.sequence, 2);
      const page3 = await other.erasuresAfter(page2[1]!.sequence, 2);
      expect([...page1, ...page2, ...page3]).toEqual(made);
      expect(await store.erasuresAfter(made[4]!.sequence, 10)).toEqual([]);
      expect(await store.erasuresAfter(made[2]!.sequence, 10)).toEqual(made.slice(3));
    });

    it('lets a subject get a new key after its erasure, its pseudonyms sealed afresh', async () => {
      const old = newKey();
      const oldIdentity = identityOf(old);
      await store.register([old], [oldIdentity]);
      await store.erase(old.subjectRef, new Date());
      const fresh = newKey(old.subjectRef);
      const again = { ...identityOf(fresh), pseudonym: oldIdentity.pseudonym };
      expect(await store.register([fresh], [again])).toEqual({ ok: true });
      expect(await store.liveKeys([old.subjectRef])).toEqual([fresh]);
      expect(await store.keysById([old.keyId, fresh.keyId])).toEqual([fresh]);
      expect(plain(await store.identities([again.pseudonym]))).toEqual([again]);
    });

    it('keeps everything across close and reopen', async () => {
      const [a, b] = [newKey(), newKey()];
      const ids = [identityOf(a), identityOf(b)];
      await store.register([a, b], ids);
      const erasure = await store.erase(b.subjectRef, new Date());
      const reopened = await opened.reopen();
      others.push(reopened);
      expect(await reopened.liveKeys([a.subjectRef, b.subjectRef])).toEqual([a]);
      expect(plain(await reopened.identities(ids.map((i) => i.pseudonym)))).toEqual([ids[0]]);
      expect(await reopened.erasuresAfter(0, 10)).toEqual([erasure]);
      const next = await reopened.erase(a.subjectRef, new Date());
      expect(next.sequence).toBeGreaterThan(erasure.sequence);
    });

    it('handles 2,000 ids in one call (chunked under parameter limits)', async () => {
      const keys = Array.from({ length: 2000 }, () => newKey());
      const ids = keys.map((k) => identityOf(k));
      expect(await store.register(keys, ids)).toEqual({ ok: true });
      // Compared as sorted strings: Jest's deep equality on 6,000 buffers takes tens of seconds.
      const keyText = (list: readonly StoredSubjectKey[]): string[] => list.map((k) => `${k.keyId} ${k.subjectRef} ${k.wrapped.toString('hex')}`).sort();
      const idText = (list: readonly StoredIdentity[]): string[] => list.map((i) => [i.pseudonym, i.field, i.subjectRef, i.keyId, i.sealed.toString('hex')].join(' ')).sort();
      expect(keyText(await store.liveKeys([...keys.map((k) => k.subjectRef), 'subj-unknown']))).toEqual(keyText(keys));
      expect(keyText(await store.keysById(keys.map((k) => k.keyId)))).toEqual(keyText(keys));
      expect(idText(await store.identities(ids.map((i) => i.pseudonym)))).toEqual(idText(ids));
      // One stale identity among 2,000 refuses the whole batch.
      const more = keys.map((k) => identityOf(k));
      more[1999] = identityOf(newKey(keys[1999]!.subjectRef));
      expect(await store.register([], more)).toEqual({ ok: false, liveKeys: [keys[1999]] });
      expect(await store.identities(more.map((i) => i.pseudonym))).toEqual([]);
    });
  });
}

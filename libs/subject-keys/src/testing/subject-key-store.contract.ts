import { randomBytes } from 'node:crypto';
import type { StoredIdentity, StoredSubjectKey, SubjectKeyStore } from '../subject-key-store.port';

/** What each adapter gives the contract: a store on a fresh location, and another instance on the same one. */
export interface SubjectKeyStoreTarget {
  readonly name: string;
  open(): Promise<{ store: SubjectKeyStore; second(): Promise<SubjectKeyStore>; reopen(): Promise<SubjectKeyStore>; dispose(): Promise<void> }>;
}

let n = 0;
const key = (subjectRef = `subject-${++n}`): StoredSubjectKey => ({ keyId: `key-${++n}-${randomBytes(4).toString('hex')}`, subjectRef, wrapped: randomBytes(60) });
const identity = (k: StoredSubjectKey, field = 'cardId', pseudonym = `ps_${randomBytes(8).toString('hex')}`): StoredIdentity => ({
  pseudonym,
  field,
  subjectRef: k.subjectRef,
  keyId: k.keyId,
  sealed: randomBytes(48),
});
const sortBy = <T>(items: T[], by: (t: T) => string): T[] => [...items].sort((a, b) => (by(a) < by(b) ? -1 : 1));

/** The contract every SubjectKeyStore adapter passes. */
export function subjectKeyStoreContract(target: SubjectKeyStoreTarget): void {
  describe(`SubjectKeyStore contract (${target.name})`, () => {
    let opened: Awaited<ReturnType<SubjectKeyStoreTarget['open']>>;
    let store: SubjectKeyStore;
    const extra: SubjectKeyStore[] = [];
    beforeEach(async () => {
      opened = await target.open();
      store = opened.store;
    });
    afterEach(async () => {
      await Promise.all(extra.splice(0).map((s) => s.close()));
      await opened.dispose();
    });

    it('round-trips keys and identities byte for byte, by subject, by key id and by pseudonym', async () => {
      const [a, b] = [key(), key()];
      const ids = [identity(a), identity(a, 'customerId'), identity(b, 'ip')];
      expect(await store.register([a, b], ids)).toEqual({ ok: true });
      expect(sortBy(await store.liveKeys([a.subjectRef, b.subjectRef, 'nobody']), (k) => k.keyId)).toEqual(sortBy([a, b], (k) => k.keyId));
      expect(await store.keysById([b.keyId])).toEqual([b]);
      expect(sortBy(await store.identities([...ids.map((i) => i.pseudonym), 'ps_unknown']), (i) => i.pseudonym)).toEqual(sortBy(ids, (i) => i.pseudonym));
    });

    it('adds identities under an existing key, and keeps the first of a pseudonym registered twice', async () => {
      const a = key();
      await store.register([a], []);
      const first = identity(a, 'deviceId', 'ps_shared');
      expect(await store.register([], [first])).toEqual({ ok: true });
      expect(await store.register([], [{ ...first, sealed: randomBytes(48) }])).toEqual({ ok: true });
      expect(await store.identities(['ps_shared'])).toEqual([first]);
    });

    it('refuses a second key for a subject with a live one, naming the live key, and writes nothing of the refused call', async () => {
      const a = key('subject-race');
      const second = await opened.second();
      extra.push(second);
      expect(await store.register([a], [identity(a)])).toEqual({ ok: true });
      const late = key('subject-race');
      const lateIdentity = identity(late, 'ip');
      expect(await second.register([late], [lateIdentity])).toEqual({ ok: false, liveKeys: [a] });
      expect(await store.keysById([late.keyId])).toEqual([]);
      expect(await store.identities([lateIdentity.pseudonym])).toEqual([]);
    });

    it('erases one subject: its keys and identities are gone and recorded, other subjects untouched', async () => {
      const [a, b] = [key(), key()];
      const [ia, ib] = [identity(a, 'cardId'), identity(b, 'cardId')];
      await store.register([a, b], [ia, ib, identity(a, 'customerId', 'ps_cust')]);
      const record = await store.erase(a.subjectRef, new Date('2026-12-04T10:00:00Z'));
      expect(record).toMatchObject({ subjectRef: a.subjectRef, keyIds: [a.keyId], erasedAt: new Date('2026-12-04T10:00:00Z') });
      expect(sortBy([...record.identities], (i) => i.pseudonym)).toEqual(sortBy([{ field: 'cardId', pseudonym: ia.pseudonym }, { field: 'customerId', pseudonym: 'ps_cust' }], (i) => i.pseudonym));
      expect(await store.liveKeys([a.subjectRef])).toEqual([]);
      expect(await store.keysById([a.keyId])).toEqual([]);
      expect(await store.identities([ia.pseudonym, 'ps_cust'])).toEqual([]);
      expect(await store.identities([ib.pseudonym])).toEqual([ib]);
      expect(await store.lastErasure(a.subjectRef)).toEqual(record);
      expect(await store.lastErasure(b.subjectRef)).toBeUndefined();
    });

    it('records an erasure of a subject with nothing left, and keys the subject anew afterwards', async () => {
      const empty = await store.erase('subject-never-seen', new Date());
      expect(empty).toMatchObject({ keyIds: [], identities: [] });
      const a = key('subject-back');
      await store.register([a], []);
      await store.erase('subject-back', new Date());
      const again = key('subject-back');
      expect(await store.register([again], [])).toEqual({ ok: true });
      expect(await store.liveKeys(['subject-back'])).toEqual([again]);
    });

    it('pages erasures in sequence order, across instances', async () => {
      const second = await opened.second();
      extra.push(second);
      const a = await store.erase('s-1', new Date());
      const b = await second.erase('s-2', new Date());
      const c = await store.erase('s-1', new Date());
      expect(a.sequence < b.sequence && b.sequence < c.sequence).toBe(true);
      expect((await second.erasuresAfter(0, 10)).map((r) => r.sequence)).toEqual([a.sequence, b.sequence, c.sequence]);
      expect((await store.erasuresAfter(a.sequence, 1)).map((r) => r.subjectRef)).toEqual(['s-2']);
      expect((await store.lastErasure('s-1'))?.sequence).toBe(c.sequence);
    });

    it('keeps everything across a close and reopen', async () => {
      const a = key();
      const i = identity(a);
      await store.register([a], [i]);
      await store.erase('gone', new Date());
      const reopened = await opened.reopen();
      extra.push(reopened);
      expect(await reopened.liveKeys([a.subjectRef])).toEqual([a]);
      expect(await reopened.identities([i.pseudonym])).toEqual([i]);
      expect(await reopened.erasuresAfter(0, 10)).toHaveLength(1);
    });

    it('answers for 2,000 ids at once', async () => {
      const keys = Array.from({ length: 2000 }, () => key());
      const ids = keys.map((k) => identity(k));
      expect(await store.register(keys, ids)).toEqual({ ok: true });
      expect(await store.liveKeys(keys.map((k) => k.subjectRef))).toHaveLength(2000);
      expect(await store.keysById(keys.map((k) => k.keyId))).toHaveLength(2000);
      expect(await store.identities(ids.map((i) => i.pseudonym))).toHaveLength(2000);
    });
  });
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deriveKeys, type DecisionRequest } from '@verdict/domain';
import { SqliteSubjectKeyStore } from './sqlite/sqlite-subject-key-store';
import type { SubjectKeyStore } from './subject-key-store.port';
import { SubjectVault } from './subject-vault';

const derived = deriveKeys(Buffer.alloc(32, 3));
const policy = { cardIdsAreTokens: false, personalAttributes: [] };
const request = (n: number, customer = `cust-${n}`): DecisionRequest => ({
  transactionId: `tx-${n}`,
  occurredAt: '2026-12-01T10:00:00Z',
  amount: n,
  currency: 'EUR',
  cardId: `card-${n}`,
  merchantId: 'm-1',
  customerId: customer,
  deviceId: 'shared-device',
});

/** Counts the transactions the vault asks of the store: group commit shares one among concurrent callers. */
function counting(store: SubjectKeyStore): { store: SubjectKeyStore; registers: () => number } {
  let registers = 0;
  return {
    store: new Proxy(store, {
      get(target, name, receiver) {
        if (name === 'register') return (...args: Parameters<SubjectKeyStore['register']>) => (registers++, target.register(...args));
        return Reflect.get(target, name, receiver) as unknown;
      },
    }),
    registers: () => registers,
  };
}

describe('SubjectVault (on the SQLite key store)', () => {
  let dir: string;
  let stores: SubjectKeyStore[];
  const open = async () => {
    const store = await SqliteSubjectKeyStore.open(path.join(dir, 'events.sqlite'));
    stores.push(store);
    return store;
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'verdict-vault-'));
    stores = [];
  });
  afterEach(async () => {
    await Promise.all(stores.map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('seals a prepared request, opens its envelope and reveals its pseudonyms, until the subject is erased', async () => {
    const vault = new SubjectVault(await open(), derived, policy);
    const p = vault.protect(request(1));
    await vault.prepare([p]);
    const envelope = vault.envelope(p, 'decision-1')!;
    expect(await vault.openEnvelope(envelope, 'decision-1')).toEqual({ cardId: 'card-1', customerId: 'cust-1', deviceId: 'shared-device' });
    const clear = await new SubjectVault(await open(), derived, policy).reveal([p.stored.cardId, p.stored.customerId as string]);
    expect(JSON.parse(clear.get(p.stored.cardId)!)).toBe('card-1');
    expect(JSON.parse(clear.get(p.stored.customerId as string)!)).toBe('cust-1');

    const record = await vault.erase('cust-1');
    expect(record.keyIds).toHaveLength(1);
    expect(record.identities.map((i) => i.field).sort()).toEqual(['cardId', 'customerId', 'deviceId']);
    expect(await vault.openEnvelope(envelope, 'decision-1')).toBeUndefined();
    expect((await vault.reveal([p.stored.cardId])).size).toBe(0);
  });

  it('commits the keys of concurrent new subjects together (group commit), and costs nothing for known ones', async () => {
    const { store, registers } = counting(await open());
    const vault = new SubjectVault(store, derived, policy);
    await Promise.all(Array.from({ length: 50 }, (_, i) => vault.prepare([vault.protect(request(i))])));
    expect(registers()).toBeLessThanOrEqual(3);
    const before = registers();
    await Promise.all(Array.from({ length: 50 }, (_, i) => vault.prepare([vault.protect(request(i))])));
    expect(registers()).toBe(before);
  });

  it('two instances keying the same new subject at once end with one live key, and both envelopes open', async () => {
    const [a, b] = [new SubjectVault(await open(), derived, policy), new SubjectVault(await open(), derived, policy)];
    const [pa, pb] = [a.protect(request(7)), b.protect({ ...request(7), transactionId: 'tx-7b' })];
    await Promise.all([a.prepare([pa]), b.prepare([pb])]);
    const [ea, eb] = [a.envelope(pa, 'd-a')!, b.envelope(pb, 'd-b')!];
    expect(ea.keyId).toBe(eb.keyId);
    expect(await b.openEnvelope(ea, 'd-a')).toMatchObject({ cardId: 'card-7' });
  });

  it("drops another instance's erasure from its caches when told (forget), and keys a returning subject anew", async () => {
    const [a, b] = [new SubjectVault(await open(), derived, policy), new SubjectVault(await open(), derived, policy)];
    const p = a.protect(request(3));
    await a.prepare([p]);
    const first = a.envelope(p, 'd-1')!;
    expect((await b.reveal([p.stored.cardId])).size).toBe(1); // b caches it
    await a.erase('cust-3');
    const [record] = await b.erasuresAfter(0);
    b.forget(record!);
    expect((await b.reveal([p.stored.cardId])).size).toBe(0);
    await b.prepare([b.protect(request(3))]);
    const again = b.envelope(b.protect(request(3)), 'd-2')!;
    expect(again.keyId).not.toBe(first.keyId);
    expect(await a.openEnvelope(first, 'd-1')).toBeUndefined();
    expect(await a.openEnvelope(again, 'd-2')).toMatchObject({ customerId: 'cust-3' });
  });

  it('does not cache a key that a read fetched before an erasure committed and got back after it', async () => {
    const writer = new SubjectVault(await open(), derived, policy);
    const p = writer.protect(request(4));
    const envelope = writer.envelope(p, 'd-4', await writer.prepare([p]))!;
    // The reader's key lookup reaches the store first; the erasure commits and is followed before the answer arrives.
    const store = await open();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const slow = new Proxy(store, {
      get(target, name, receiver) {
        if (name === 'keysById') return async (ids: string[]) => {
          const answer = await target.keysById(ids);
          await held;
          return answer;
        };
        return Reflect.get(target, name, receiver) as unknown;
      },
    });
    const reader = new SubjectVault(slow, derived, policy);
    const opening = reader.openEnvelope(envelope, 'd-4');
    await new Promise((r) => setTimeout(r, 20));
    await writer.erase('cust-4');
    const [record] = await reader.erasuresAfter(0);
    reader.forget(record!);
    release();
    expect(await opening).toBeUndefined();
    expect(await reader.openEnvelope(envelope, 'd-4')).toBeUndefined();
  });

  it('seals with the keys prepare() gave, even when an erasure lands between prepare and sealing', async () => {
    const vault = new SubjectVault(await open(), derived, policy);
    const [one, two] = [vault.protect(request(5)), vault.protect(request(6))];
    const keys = await vault.prepare([one, two]);
    await vault.erase('cust-5'); // while the model runs
    const sealedOne = vault.envelope(one, 'd-5', keys)!;
    const sealedTwo = vault.envelope(two, 'd-6', keys)!;
    expect(sealedOne.subject).toBe(one.subject!.ref);
    expect(await vault.openEnvelope(sealedOne, 'd-5')).toBeUndefined(); // under the destroyed key: unreadable
    expect(await vault.openEnvelope(sealedTwo, 'd-6')).toMatchObject({ customerId: 'cust-6' });
  });

  it('refuses a master key that did not wrap the stored keys, and accepts the right one or an empty store', async () => {
    const first = new SubjectVault(await open(), derived, policy);
    await first.checkMasterKey(); // nothing stored yet: any key will do
    await first.prepare([first.protect(request(7))]);
    await first.checkMasterKey();
    const other = new SubjectVault(await open(), deriveKeys(Buffer.alloc(32, 4)), policy);
    await expect(other.checkMasterKey()).rejects.toMatchObject({ name: 'MasterKeyMismatchError', code: 'MASTER_KEY_MISMATCH' });
  });

  it('a shared device stays readable through another subject after one subject is erased', async () => {
    const vault = new SubjectVault(await open(), derived, policy);
    const [one, two] = [vault.protect(request(1)), vault.protect(request(2))];
    await vault.prepare([one]);
    await vault.prepare([two]);
    await vault.erase('cust-1');
    await vault.prepare([vault.protect(request(2))]); // the next decision of subject 2 registers the device again
    expect((await vault.reveal([two.stored.deviceId as string])).size).toBe(1);
  });
});

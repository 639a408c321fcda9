import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AUDIT_SEALS_STREAM, eventHash, leafHash, merkleRootOfLeaves } from '@verdict/domain/audit';
import { createSqliteEventStore, type EventStore } from '@verdict/event-store';
import { writeVersionOneFile } from '@verdict/event-store/sqlite/testing/version-one-file';
import { publishSigningKey } from './publish-key';
import { READ_PAGE_CHARS } from './hashed-log';
import { keyMap, readSeals } from './seal-log';
import { SealingCursor, type LastSeal } from './sealing-cursor';
import { appendDecisions, testSigner } from './testing/sealed-fixture';
import { verifyEventStore } from './verify-store';

const lastOf = async (store: EventStore): Promise<LastSeal | null> => {
  const s = (await readSeals(store)).at(-1);
  return s?.ok ? { index: Number(s.revision), toPosition: BigInt(s.seal.toPosition), sealHash: s.sealHash, sealedAt: s.seal.sealedAt } : null;
};

describe('SealingCursor', () => {
  let dir: string;
  let store: EventStore;
  const signer = testSigner();
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'verdict-sealing-'));
    store = await createSqliteEventStore({ path: path.join(dir, 'events.sqlite') });
    await publishSigningKey(store, signer);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets exactly one of two instances land each seal; the loser resyncs and continues the chain', async () => {
    await appendDecisions(store, 1, 4);
    const a = new SealingCursor(store, signer, { maxEvents: 100 }, null);
    const b = new SealingCursor(store, signer, { maxEvents: 100 }, null);
    await a.catchUp();
    await b.catchUp();
    expect(await a.seal(new Date())).toMatchObject({ kind: 'sealed', count: 5, seal: { index: 0 } });
    expect(await b.seal(new Date())).toEqual({ kind: 'lost' });
    b.resync(await lastOf(store));
    expect(b.pendingCount).toBe(0);
    await appendDecisions(store, 5, 2);
    await b.catchUp();
    expect(await b.seal(new Date())).toMatchObject({ kind: 'sealed', count: 3, seal: { index: 1 } }); // a's seal event + 2
    expect((await store.readStream(AUDIT_SEALS_STREAM)).map((e) => e.revision)).toEqual([0n, 1n]);
    expect(await verifyEventStore(store)).toMatchObject({ clean: true, seals: 2 });
  });

  it('seals what a store wrote before canonical storage by its canonical hash, and canonical text as it is', async () => {
    // A version-1 file as builds before canonical storage left it: keys in insertion order, whitespace.
    const oldDir = mkdtempSync(path.join(tmpdir(), 'verdict-sealing-v1-'));
    const file = path.join(oldDir, 'events.sqlite');
    writeVersionOneFile(file, [{ streamId: 'decision-old', revision: 0, type: 'DecisionMade', data: '{"z": 1, "a": {"y": 2, "b": 3}}', metadata: '{"c":1,"a":2}' }]);
    const old = await createSqliteEventStore({ path: file });
    try {
      await publishSigningKey(old, signer);
      await appendDecisions(old, 1, 3);
      const cursor = new SealingCursor(old, signer, { maxEvents: 100 }, null);
      await cursor.catchUp();
      expect(await cursor.seal(new Date())).toMatchObject({ kind: 'sealed', count: 5 });
      const [stored] = await readSeals(old);
      const events = (await old.readAll()).filter((e) => e.streamId !== AUDIT_SEALS_STREAM);
      expect((await old.readAllText()).map((t) => t.canonical).slice(0, 2)).toEqual([false, true]);
      // The seal's root is the one over every event's canonical hash (eventHash of the parsed event), whichever way
      // the sealer computed each.
      const root = merkleRootOfLeaves(events.map((e) => leafHash(eventHash(e)))).toString('hex');
      expect(stored.ok && stored.seal.merkleRoot).toBe(root);
      expect(await verifyEventStore(old)).toMatchObject({ clean: true, seals: 1 });
    } finally {
      await old.close();
      rmSync(oldDir, { recursive: true, force: true });
    }
  });

  it('never cuts a seal over audit events alone, and resumes after a restart from the last seal', async () => {
    await appendDecisions(store, 1, 2);
    const first = new SealingCursor(store, signer, { maxEvents: 100 }, null);
    await first.catchUp();
    expect((await first.seal(new Date())).kind).toBe('sealed');
    await first.catchUp(); // only its own seal event is new
    expect(await first.seal(new Date())).toEqual({ kind: 'nothing' });

    const restarted = new SealingCursor(store, signer, { maxEvents: 100 }, await lastOf(store));
    await appendDecisions(store, 3, 1);
    await restarted.catchUp();
    expect(restarted.pendingCount).toBe(2);
    expect(await restarted.seal(new Date())).toMatchObject({ kind: 'sealed', seal: { index: 1 } });
    expect(await verifyEventStore(store)).toMatchObject({ clean: true, seals: 2 });
  });

  it('cuts a busy period into seals of at most maxEvents events and maxEntryBytes of entries', async () => {
    await appendDecisions(store, 1, 12);
    const byCount = new SealingCursor(store, signer, { maxEvents: 5 }, null);
    const counts: number[] = [];
    for (;;) {
      await byCount.catchUp();
      const o = await byCount.seal(new Date());
      if (o.kind !== 'sealed') break;
      counts.push(o.count);
    }
    // The key and 12 decisions, then the first two seals' own events: 15 events, the last two seal events unsealed.
    expect(counts).toEqual([5, 5, 5]);
    await appendDecisions(store, 13, 6);
    const byBytes = new SealingCursor(store, signer, { maxEvents: 100, maxEntryBytes: 60 }, await lastOf(store));
    await byBytes.catchUp();
    const o = await byBytes.seal(new Date());
    expect(o.kind === 'sealed' && o.count).toBe(2); // each entry here is 1 + 1 + ~15 + 1 + 8 bytes
    expect(await verifyEventStore(store)).toMatchObject({ clean: true });
  });

  it('reads a log of large events in pages bounded by their text, and seals every event', async () => {
    const size = Math.floor(READ_PAGE_CHARS / 3.5);
    for (let i = 0; i < 7; i++) {
      await store.appendToStream(`large-${i}`, [{ id: randomUUID(), type: 'Large', data: { i, pad: 'x'.repeat(size) } }], { expectedRevision: 'no_stream' });
    }
    const pages: number[] = [];
    const read = store.readAllText.bind(store);
    jest.spyOn(store, 'readAllText').mockImplementation(async (options) => {
      const page = await read(options);
      pages.push(page.reduce((n, e) => n + e.dataJson.length + e.metadataJson.length, 0));
      return page;
    });
    const cursor = new SealingCursor(store, signer, { maxEvents: 100 }, null);
    await cursor.catchUp();
    expect(cursor.pendingCount).toBe(8); // the signing key's event and the seven large ones
    for (const chars of pages) expect(chars).toBeLessThanOrEqual(READ_PAGE_CHARS);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(await cursor.seal(new Date())).toMatchObject({ kind: 'sealed', count: 8 });
    jest.restoreAllMocks();
    expect(await verifyEventStore(store)).toMatchObject({ clean: true, seals: 1 });
  });

  it('keeps old seals verifiable after the key is rotated, and trusts only the anchors given', async () => {
    await appendDecisions(store, 1, 3);
    const before = new SealingCursor(store, signer, { maxEvents: 100 }, null);
    await before.catchUp();
    expect((await before.seal(new Date())).kind).toBe('sealed');
    const rotated = testSigner();
    await publishSigningKey(store, rotated);
    await appendDecisions(store, 4, 3);
    const after = new SealingCursor(store, rotated, { maxEvents: 100 }, await lastOf(store));
    await after.catchUp();
    expect((await after.seal(new Date())).kind).toBe('sealed');

    expect(await verifyEventStore(store)).toMatchObject({ clean: true, seals: 2, keys: [signer.keyId, rotated.keyId] });
    const onlyNew = await verifyEventStore(store, { trustedKeys: keyMap([rotated.publicKeyPem]) });
    expect(onlyNew.findings).toEqual([expect.objectContaining({ kind: 'unknown-key', seal: 0 })]);
    expect((await verifyEventStore(store, { trustedKeys: keyMap([signer.publicKeyPem, rotated.publicKeyPem]) })).clean).toBe(true);
  });
});

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { verifyEventStore } from '@verdict/audit';
import { createSqliteEventStore, type EventStore } from '@verdict/event-store';
import { appendDecisions } from '@verdict/audit/testing/sealed-fixture';
import { AuditSealer, type SealerLog } from './audit-sealer';
import { SealChain } from './seal-chain';
import { loadSigningKey, SigningKeyError } from './signing-key-file';

const silent = pino({ level: 'silent' });

/** Waits until the chain has sealed through `position` (the sealers run on their own clock). */
async function sealedThrough(chain: SealChain, position: bigint): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if ((await chain.snapshot()).sealedThrough >= position) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`never sealed through ${position}`);
}

describe('AuditSealer', () => {
  let dir: string;
  let store: EventStore;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'verdict-sealer-'));
    store = await createSqliteEventStore({ path: path.join(dir, 'events.sqlite') });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A sealer appending through `on` (this test's store, or a wrapper of it), with its own view of the chain. */
  const sealerOf = (settings: { intervalMs: number; maxEvents: number }, on: EventStore = store, log: SealerLog = silent): AuditSealer =>
    new AuditSealer(on, new SealChain(store, settings.intervalMs), loadSigningKey(path.join(dir, 'keys', 'seal.pem'), true), settings, log);

  it('creates its key once (0600) and refuses a named key file that is missing or not Ed25519', () => {
    const file = path.join(dir, 'keys', 'seal.pem');
    const created = loadSigningKey(file, true);
    expect(created.created).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadSigningKey(file, true)).toMatchObject({ created: false, keyId: created.keyId });
    expect(() => loadSigningKey(path.join(dir, 'nope.pem'), false)).toThrow(SigningKeyError);
  });

  it('runs on several instances at once with one chain, and resumes after a restart', async () => {
    const key = loadSigningKey(path.join(dir, 'keys', 'seal.pem'), true);
    const settings = { intervalMs: 40, maxEvents: 4 };
    const chains = [new SealChain(store, 40), new SealChain(store, 40)];
    const sealers = chains.map((c) => new AuditSealer(store, c, key, settings, silent));
    await Promise.all(sealers.map((s) => s.start()));
    await appendDecisions(store, 1, 9);
    await sealedThrough(chains[0], 9n);
    await appendDecisions(store, 10, 5);
    await sealedThrough(chains[1], await store.headPosition() - 1n);
    await Promise.all(sealers.map((s) => s.stop()));

    const chain = new SealChain(store, 40);
    const restarted = new AuditSealer(store, chain, key, settings, silent);
    await restarted.start();
    await appendDecisions(store, 15, 1);
    const head = await store.headPosition();
    await sealedThrough(chain, head);
    await restarted.stop();

    const report = await verifyEventStore(store);
    expect(report).toMatchObject({ clean: true, findings: [], keys: [key.keyId] });
    expect(report.seals).toBeGreaterThanOrEqual(4);
  });

  it('seals what is pending when a clean stop asks for it, whether or not a seal is due, and only then', async () => {
    // An hour's interval and room for 1,000 events: no seal falls due while the test runs.
    const settings = { intervalMs: 3_600_000, maxEvents: 1_000 };
    const plain = sealerOf(settings);
    await plain.start();
    await appendDecisions(store, 1, 7);
    await plain.stop();
    expect((await verifyEventStore(store)).unsealedEvents).toBe(7);

    const final = sealerOf(settings);
    await final.start();
    await appendDecisions(store, 8, 5);
    const lastDecision = await store.headPosition();
    await final.stop(Date.now() + 5_000);
    const report = await verifyEventStore(store);
    expect(report).toMatchObject({ clean: true, findings: [], seals: 1, sealedThrough: lastDecision.toString() });
    // Left after it: the key's publication and the seal itself (audit events are sealed with the next decisions).
    expect(report.unsealedEvents).toBe(2);

    // A deadline already past seals nothing more, and the stop still ends.
    const late = sealerOf(settings);
    await late.start();
    await appendDecisions(store, 13, 2);
    await late.stop(Date.now() - 1);
    expect(await verifyEventStore(store)).toMatchObject({ seals: 1, sealedThrough: lastDecision.toString(), unsealedEvents: 4 });
  });

  it("seals through the log's head at the stop, not what other instances append after it", async () => {
    const settings = { intervalMs: 3_600_000, maxEvents: 3 };
    const sealer = sealerOf(settings);
    await sealer.start();
    await appendDecisions(store, 1, 7);
    const head = await store.headPosition();
    // Another instance goes on deciding while this one stops.
    let busy = true;
    const elsewhere = (async () => {
      for (let n = 100; busy; n++) {
        await appendDecisions(store, n, 1);
        await new Promise((r) => setImmediate(r));
      }
    })();
    const started = Date.now();
    await sealer.stop(Date.now() + 10_000);
    const took = Date.now() - started;
    busy = false;
    await elsewhere;
    expect(took).toBeLessThan(5_000);
    const report = await verifyEventStore(store);
    expect(report.clean).toBe(true);
    expect(BigInt(report.sealedThrough)).toBeGreaterThanOrEqual(head);
  });

  it.each([
    ['fails', () => Promise.reject(new Error('disk gone'))],
    ['never answers', () => new Promise<never>(() => undefined)],
  ])('ends its stop by the deadline when the store %s, and says so', async (_how, append) => {
    const settings = { intervalMs: 3_600_000, maxEvents: 1_000 };
    // The store refuses (or never answers) appends to the seals' and keys' streams; reads work.
    const broken = new Proxy(store, {
      get: (target, prop, receiver) => (prop === 'appendToStream' ? append : Reflect.get(target, prop, receiver)),
    });
    const said: string[] = [];
    const log: SealerLog = { info: (_o, msg) => said.push(msg), error: (_o, msg) => said.push(msg) };
    const sealer = sealerOf(settings, broken, log);
    await sealer.start();
    await appendDecisions(store, 1, 3);
    const started = Date.now();
    await sealer.stop(Date.now() + 300);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(said.some((m) => /the last seal before stopping failed|out of time/.test(m))).toBe(true);
    expect((await verifyEventStore(store)).unsealedEvents).toBe(3);
  });
});

import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { API_KEYS_STREAM } from '@verdict/domain';
import { createEventStore, type EventStore } from '@verdict/event-store';
import { KeyDirectory } from './key-directory';

/** Reads that take a while, as on a store across a network: polls and changes then overlap. */
function slowReads(store: EventStore, ms: number): EventStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'readStream') return async (...args: Parameters<EventStore['readStream']>) => {
        await new Promise((r) => setTimeout(r, ms));
        return target.readStream(...args);
      };
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe('KeyDirectory on a real SQLite store', () => {
  let dir: string;
  let store: EventStore;
  const quiet = pino({ enabled: false });
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'verdict-keys-'));
    store = await createEventStore({ kind: 'sqlite', url: path.join(dir, 'events.sqlite') });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies each event once while polls and changes overlap, and a revocation elsewhere reaches it', async () => {
    const a = new KeyDirectory(slowReads(store, 20), quiet, 15);
    const b = new KeyDirectory(slowReads(store, 20), quiet, 15);
    await a.ensureAdminKey(path.join(dir, 'keys', 'admin.key'));
    await a.start();
    await b.start();
    try {
      const created = [];
      for (let i = 0; i < 5; i++) {
        created.push(await a.create({ client: `system-${i}`, roles: ['decide'] }, 'test'));
        await new Promise((r) => setTimeout(r, 7));
      }
      expect(created.map((c) => c.key.client)).toEqual(['system-0', 'system-1', 'system-2', 'system-3', 'system-4']);
      const victim = created[2]!;
      expect(a.authenticate(victim.apiKey)).toMatchObject({ client: 'system-2' });
      await b.revoke(victim.key.keyId, 'test', 'leaked');
      // a learns of it by its polls (every 15 ms here); waited for, not timed.
      for (const deadline = Date.now() + 10_000; a.authenticate(victim.apiKey) !== 'revoked' && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 10));
      expect(a.authenticate(victim.apiKey)).toBe('revoked');
      const events = await store.readStream(API_KEYS_STREAM);
      expect(events).toHaveLength(7);
      expect(a.list()).toHaveLength(6);
      expect(await a.create({ client: 'after', roles: ['audit'] }, 'test')).toMatchObject({ key: { client: 'after' } });
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it('writes the admin key file with mode 0600, replacing a symlink rather than writing through it', async () => {
    const file = path.join(dir, 'keys', 'admin.key');
    const target = path.join(dir, 'elsewhere.txt');
    writeFileSync(target, 'untouched');
    const keys = new KeyDirectory(store, quiet);
    mkdirSync(path.dirname(file), { recursive: true });
    symlinkSync(target, file);
    expect(await keys.ensureAdminKey(file)).toBe(file);
    expect(readFileSync(target, 'utf8')).toBe('untouched');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(keys.authenticate(readFileSync(file, 'utf8').trim())).toMatchObject({ client: 'admin', roles: ['admin'] });
    // Keys exist now: a second start creates none.
    expect(await new KeyDirectory(store, quiet).ensureAdminKey(path.join(dir, 'other.key'))).toBeNull();
  });
});

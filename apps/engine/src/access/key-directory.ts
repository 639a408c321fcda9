import { randomBytes } from 'node:crypto';
import { closeSync, constants, fsyncSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import {
  newEventId,
  API_KEYS_STREAM,
  formatApiKey,
  hashApiKeySecret,
  isApiKeyEventType,
  KeyRing,
  type ApiKeyEvent,
  type ApiKeyView,
  type KeyRefusal,
  type Principal,
  type Role,
} from '@verdict/domain';
import { isWrongExpectedRevision, NO_STREAM, type EventStore } from '@verdict/event-store';

/** How often the stream is read for keys created or revoked on other instances. */
export const KEY_POLL_MS = 1_000;

export interface CreatedKey {
  /** The key itself: shown once, never stored. */
  readonly apiKey: string;
  readonly key: ApiKeyView;
}

export interface NewKey {
  readonly client: string;
  readonly roles: readonly string[];
  readonly rateLimitPerSecond?: number | null;
}

/** A fresh key id (16 of a-z0-9) and secret (32 random bytes, base64url). */
export function mintKeyMaterial(): { keyId: string; secret: string; salt: string } {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const keyId = [...randomBytes(16)].map((b) => alphabet[b % 36]).join('');
  return { keyId, secret: randomBytes(32).toString('base64url'), salt: randomBytes(16).toString('hex') };
}

/**
 * The API keys in force here: the `api-keys` stream folded into a KeyRing, read at start and every KEY_POLL_MS after
 * (a key revoked on another instance stops working here within that), and at once for changes made here. Creating
 * and revoking append with the stream's expected revision, so two instances cannot both act on a stale ring.
 */
export class KeyDirectory {
  private ring = new KeyRing();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private reading: Promise<void> | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly store: EventStore,
    private readonly log: Logger,
    private readonly pollMs = KEY_POLL_MS,
  ) {}

  async start(): Promise<void> {
    await this.catchUp();
    this.timer = setInterval(() => {
      this.polling ??= this.catchUp()
        .catch((e: unknown) => this.log.warn({ err: e }, 'reading the api-keys stream failed; keys stay as last read'))
        .finally(() => (this.polling = undefined));
    }, this.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.polling;
  }

  /** Called whenever the ring changed (authenticators drop what they cached). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  authenticate(token: string): Principal | KeyRefusal {
    return this.ring.authenticate(token);
  }

  rateLimitOf(keyId: string): number | null {
    return this.ring.rateLimitOf(keyId);
  }

  list(): ApiKeyView[] {
    return this.ring.list();
  }

  get(keyId: string): ApiKeyView | undefined {
    return this.ring.get(keyId);
  }

  async create(request: NewKey, by: string): Promise<CreatedKey> {
    const { keyId, secret, salt } = mintKeyMaterial();
    await this.change((ring) => ring.create({ keyId, client: request.client, roles: request.roles, salt, secretHash: hashApiKeySecret(salt, secret), rateLimitPerSecond: request.rateLimitPerSecond, at: new Date().toISOString(), by }));
    return { apiKey: formatApiKey(keyId, secret), key: this.ring.get(keyId) as ApiKeyView };
  }

  async revoke(keyId: string, by: string, reason: string | null): Promise<ApiKeyView> {
    await this.change((ring) => ring.revoke(keyId, new Date().toISOString(), by, reason));
    return this.ring.get(keyId) as ApiKeyView;
  }

  /**
   * On a log with no key at all, creates an admin key and writes it to `file` (mode 0600), so a fresh embedded engine
   * is usable and closed at once. Appended with NO_STREAM: of several instances starting on one empty store, one wins.
   * Returns the file written, or null when keys already existed.
   */
  async ensureAdminKey(file: string): Promise<string | null> {
    await this.catchUp();
    if (this.ring.revision > 0) return null;
    const { keyId, secret, salt } = mintKeyMaterial();
    const event = this.ring.create({ keyId, client: 'admin', roles: ['admin'] as Role[], salt, secretHash: hashApiKeySecret(salt, secret), at: new Date().toISOString(), by: 'bootstrap' });
    // The file first: a store must never hold an admin key that no file has. A crash after the write and before the
    // append leaves a file whose key the next start replaces (the log still has none).
    writeKeyFile(file, formatApiKey(keyId, secret));
    try {
      await this.store.appendToStream(API_KEYS_STREAM, [{ id: newEventId(), type: event.type, data: { ...event.data }, metadata: { schemaVersion: 1 } }], { expectedRevision: NO_STREAM });
    } catch (e) {
      rmSync(file, { force: true });
      if (!isWrongExpectedRevision(e)) throw e;
      await this.catchUp(); // another instance created the first key
      return null;
    }
    await this.catchUpThrough(0);
    return file;
  }

  private async change(decide: (ring: KeyRing) => ApiKeyEvent): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      await this.catchUp();
      const event = decide(this.ring);
      const expectedRevision = this.ring.revision === 0 ? NO_STREAM : BigInt(this.ring.revision - 1);
      let appended: bigint;
      try {
        appended = (await this.store.appendToStream(API_KEYS_STREAM, [{ id: newEventId(), type: event.type, data: { ...event.data }, metadata: { schemaVersion: 1 } }], { expectedRevision })).nextExpectedRevision;
      } catch (e) {
        if (isWrongExpectedRevision(e) && attempt < 5) continue; // a change elsewhere landed first: decide again on it
        throw e;
      }
      await this.catchUpThrough(Number(appended));
      return;
    }
  }

  /**
   * Reads what the ring has not applied yet. One read at a time (the poll and a change share it), and an event is
   * applied only at the revision the ring expects, so overlapping reads can never apply an event twice.
   */
  private catchUp(): Promise<void> {
    this.reading ??= this.readNew().finally(() => (this.reading = undefined));
    return this.reading;
  }

  /** Until the ring has applied the event at `revision` (a read in flight may have started before it was appended). */
  private async catchUpThrough(revision: number): Promise<void> {
    for (let reads = 0; this.ring.revision <= revision; reads++) {
      if (reads === 10) throw new Error(`the api-keys stream did not show revision ${revision} after it was appended`);
      await this.catchUp();
    }
  }

  private async readNew(): Promise<void> {
    const events = await this.store.readStream(API_KEYS_STREAM, { fromRevision: BigInt(this.ring.revision) });
    let changed = false;
    for (const e of events) {
      if (Number(e.revision) !== this.ring.revision) continue;
      if (isApiKeyEventType(e.type)) this.ring.apply({ type: e.type, data: e.data } as unknown as ApiKeyEvent);
      else this.ring.skip(); // a type this version does not know: counted, not applied
      changed = true;
    }
    if (changed) for (const listener of this.listeners) listener();
  }
}

/** The bare key on one line, mode 0600, never through a symlink someone left at that path. */
function writeKeyFile(file: string, key: string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  rmSync(file, { force: true });
  const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    writeSync(fd, `${key}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

import { isApiKeyId, parseApiKey, secretMatches } from './api-key';
import { API_KEY_CREATED, API_KEY_REVOKED, type ApiKeyCreated, type ApiKeyEvent, type ApiKeyRevoked } from './key-events';
import { isRole, type Principal, type Role } from './roles';

/** A key as listings show it: never its secret or hash. */
export interface ApiKeyView {
  readonly keyId: string;
  readonly client: string;
  readonly roles: readonly Role[];
  readonly rateLimitPerSecond: number | null;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly revokedAt: string | null;
  readonly revokedBy: string | null;
}

interface KeyEntry {
  readonly created: ApiKeyCreated;
  readonly revoked: ApiKeyRevoked | null;
}

export class ApiKeyError extends Error {
  constructor(
    readonly code: 'invalid-key-request' | 'unknown-key' | 'key-already-revoked' | 'duplicate-key',
    message: string,
  ) {
    super(message);
    this.name = 'ApiKeyError';
  }
}

const CLIENT_ID = /^[A-Za-z0-9._@:-]{1,128}$/;

export interface CreateKeyCommand {
  readonly keyId: string;
  readonly client: string;
  readonly roles: readonly string[];
  readonly salt: string;
  readonly secretHash: string;
  readonly rateLimitPerSecond?: number | null;
  readonly at: string;
  readonly by: string;
}

/** Why a presented key was refused (the HTTP layer says only "invalid key", to give a prober nothing). */
export type KeyRefusal = 'malformed' | 'unknown' | 'revoked' | 'wrong-secret';

/**
 * The API keys as the `api-keys` stream leaves them: folded event by event, asked to authenticate a presented key,
 * and to decide on creating or revoking one. Pure: the caller supplies ids, salts, hashes and clocks.
 */
export class KeyRing {
  private readonly keys = new Map<string, KeyEntry>();
  private version = 0;

  /** Events applied so far (the stream's next revision). */
  get revision(): number {
    return this.version;
  }

  apply(event: ApiKeyEvent): void {
    this.version += 1;
    if (event.type === API_KEY_CREATED) this.keys.set(event.data.keyId, { created: event.data, revoked: null });
    else {
      const entry = this.keys.get(event.data.keyId);
      if (entry) this.keys.set(event.data.keyId, { ...entry, revoked: event.data });
    }
  }

  /** Counts an event of a type this version does not know, so revisions stay aligned with the stream. */
  skip(): void {
    this.version += 1;
  }

  get size(): number {
    return this.keys.size;
  }

  list(): ApiKeyView[] {
    return [...this.keys.values()].map(view);
  }

  get(keyId: string): ApiKeyView | undefined {
    const entry = this.keys.get(keyId);
    return entry && view(entry);
  }

  authenticate(token: string): Principal | KeyRefusal {
    const parsed = parseApiKey(token);
    if (!parsed) return 'malformed';
    const entry = this.keys.get(parsed.keyId);
    if (!entry) return 'unknown';
    if (!secretMatches(entry.created.salt, entry.created.secretHash, parsed.secret)) return 'wrong-secret';
    if (entry.revoked) return 'revoked';
    return { kind: 'api-key', client: entry.created.client, keyId: parsed.keyId, roles: entry.created.roles };
  }

  create(command: CreateKeyCommand): ApiKeyEvent {
    if (!CLIENT_ID.test(command.client)) throw new ApiKeyError('invalid-key-request', `client must be 1–128 of A-Z a-z 0-9 . _ @ : -, got ${JSON.stringify(command.client)}`);
    if (command.roles.length === 0) throw new ApiKeyError('invalid-key-request', 'a key needs at least one role');
    const unknown = command.roles.filter((r) => !isRole(r));
    if (unknown.length > 0) throw new ApiKeyError('invalid-key-request', `unknown role(s) ${unknown.join(', ')}: roles are decide, analyze, audit, operate, admin`);
    const limit = command.rateLimitPerSecond ?? null;
    if (limit !== null && (!Number.isInteger(limit) || limit < 1 || limit > 1_000_000)) throw new ApiKeyError('invalid-key-request', 'rateLimitPerSecond must be a whole number in [1, 1000000]');
    if (!isApiKeyId(command.keyId)) throw new ApiKeyError('invalid-key-request', 'malformed key id');
    if (this.keys.has(command.keyId)) throw new ApiKeyError('duplicate-key', `key ${command.keyId} exists`);
    const roles = [...new Set(command.roles as Role[])];
    return {
      type: API_KEY_CREATED,
      data: { schemaVersion: 1, keyId: command.keyId, client: command.client, roles, salt: command.salt, secretHash: command.secretHash, rateLimitPerSecond: limit, createdAt: command.at, createdBy: command.by },
    };
  }

  revoke(keyId: string, at: string, by: string, reason: string | null): ApiKeyEvent {
    const entry = this.keys.get(keyId);
    if (!entry) throw new ApiKeyError('unknown-key', `no key ${keyId}`);
    if (entry.revoked) throw new ApiKeyError('key-already-revoked', `key ${keyId} was revoked at ${entry.revoked.revokedAt}`);
    return { type: API_KEY_REVOKED, data: { schemaVersion: 1, keyId, revokedAt: at, revokedBy: by, reason } };
  }

  /** The per-second limit of a key (null: the engine's default). */
  rateLimitOf(keyId: string): number | null {
    return this.keys.get(keyId)?.created.rateLimitPerSecond ?? null;
  }
}

function view(entry: KeyEntry): ApiKeyView {
  const c = entry.created;
  return { keyId: c.keyId, client: c.client, roles: c.roles, rateLimitPerSecond: c.rateLimitPerSecond, createdAt: c.createdAt, createdBy: c.createdBy, revokedAt: entry.revoked?.revokedAt ?? null, revokedBy: entry.revoked?.revokedBy ?? null };
}

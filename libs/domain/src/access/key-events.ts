import type { Role } from './roles';

/** Every API key's life is on this stream (docs/events.md): created, then perhaps revoked. */
export const API_KEYS_STREAM = 'api-keys';
export const API_KEY_CREATED = 'ApiKeyCreated' as const;
export const API_KEY_REVOKED = 'ApiKeyRevoked' as const;
export const API_KEY_EVENT_SCHEMA_VERSION = 1;

export interface ApiKeyCreated {
  readonly schemaVersion: 1;
  readonly keyId: string;
  readonly client: string;
  readonly roles: readonly Role[];
  /** Hex salt and hex sha256(salt ‖ secret): the key itself is never stored. */
  readonly salt: string;
  readonly secretHash: string;
  /** Requests per second this key may make; null: the engine's default. */
  readonly rateLimitPerSecond: number | null;
  readonly createdAt: string;
  /** Who created it (a client id, or "bootstrap" for the first admin key). */
  readonly createdBy: string;
}

export interface ApiKeyRevoked {
  readonly schemaVersion: 1;
  readonly keyId: string;
  readonly revokedAt: string;
  readonly revokedBy: string;
  readonly reason: string | null;
}

export type ApiKeyEvent = { readonly type: typeof API_KEY_CREATED; readonly data: ApiKeyCreated } | { readonly type: typeof API_KEY_REVOKED; readonly data: ApiKeyRevoked };

export const isApiKeyEventType = (type: string): type is ApiKeyEvent['type'] => type === API_KEY_CREATED || type === API_KEY_REVOKED;

/**
 * What a caller may do (docs/security.md). Roles are not ranked, except `admin`, which holds every role: the key an
 * embedded engine creates for its operator must be able to run the quickstart end to end.
 */
export const ROLES = ['decide', 'analyze', 'audit', 'operate', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/** Whether a caller holding `held` may use something open to any of `needed`. */
export function grants(held: readonly Role[], needed: readonly Role[]): boolean {
  if (held.includes('admin')) return true;
  return needed.some((role) => held.includes(role));
}

/** Who is calling, once authenticated: a system with an API key, or a person with an OIDC token. */
export interface Principal {
  readonly kind: 'api-key' | 'oidc';
  /** The system (API key's client) or the person (token subject) that calls. */
  readonly client: string;
  /** The API key's id; for a token, its issuer-qualified subject. */
  readonly keyId: string;
  readonly roles: readonly Role[];
  /** When a token's credential ends (ms since the epoch); a key has none. */
  readonly expiresAt?: number;
}

/** What goes into every event's metadata appended on a caller's behalf. */
export interface CallerMetadata {
  readonly client: string;
  readonly keyId: string;
  readonly kind: Principal['kind'];
}

export const callerMetadata = (p: Principal): CallerMetadata => ({ client: p.client, keyId: p.keyId, kind: p.kind });

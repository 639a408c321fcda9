import { API_KEY_PREFIX, type Principal } from '@verdict/domain';
import { BoundedMap } from '@verdict/domain/bounded-map';
import type { KeyDirectory } from './key-directory';
import { TokenRefusedError, type OidcVerifier } from './oidc-verifier';

/** Why a request is not authenticated: said in its 401, without telling a prober which part was wrong. */
export class UnauthenticatedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnauthenticatedError';
  }
}

const BEARER = /^Bearer[ ]+(\S+)\s*$/i;

/** Verified tokens kept, so the hot path hashes or verifies a caller's credential once, not per request. */
const CACHE_MAX = 10_000;

/**
 * `Authorization: Bearer <credential>` to a Principal: API keys (`vdk_…`) against the key directory, anything else as
 * an OIDC token when OIDC is configured. Results are cached by credential; a key change anywhere empties the cache,
 * and a token's entry ends at its expiry.
 */
export class Authenticator {
  private readonly cache = new BoundedMap<string, { principal: Principal; until: number }>(CACHE_MAX);

  constructor(
    private readonly keys: KeyDirectory,
    private readonly oidc: OidcVerifier | null,
  ) {
    keys.onChange(() => this.cache.clear());
  }

  /** The caller, when this exact credential was verified before and is still good (no I/O, no promise). */
  cached(header: string | undefined): Principal | undefined {
    const credential = header === undefined ? undefined : BEARER.exec(header)?.[1];
    const hit = credential === undefined ? undefined : this.cache.get(credential);
    return hit && hit.until > Date.now() ? hit.principal : undefined;
  }

  /** The caller, or UnauthenticatedError. */
  async authenticate(header: string | undefined): Promise<Principal> {
    const credential = bearer(header);
    const cached = this.cache.get(credential);
    if (cached && cached.until > Date.now()) return cached.principal;
    const { principal, until } = await this.verify(credential);
    this.cache.set(credential, { principal, until });
    return principal;
  }

  private async verify(credential: string): Promise<{ principal: Principal; until: number }> {
    if (credential.startsWith(API_KEY_PREFIX)) {
      const result = this.keys.authenticate(credential);
      if (typeof result === 'string') throw new UnauthenticatedError(result === 'revoked' ? 'The API key has been revoked.' : 'The API key is not valid.');
      return { principal: result, until: Number.POSITIVE_INFINITY };
    }
    if (!this.oidc) throw new UnauthenticatedError('The credential is not an API key, and no OIDC issuer is configured.');
    try {
      const { principal, expiresAt } = await this.oidc.verify(credential);
      return { principal, until: expiresAt };
    } catch (e) {
      if (e instanceof TokenRefusedError) throw new UnauthenticatedError(`The token is not accepted: ${e.message}.`);
      throw e;
    }
  }
}

function bearer(header: string | undefined): string {
  if (header === undefined || header === '') throw new UnauthenticatedError('Send `Authorization: Bearer <API key or token>`.');
  const match = BEARER.exec(header);
  if (!match) throw new UnauthenticatedError('The Authorization header must be `Bearer <API key or token>`.');
  return match[1] as string;
}

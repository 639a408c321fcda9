import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { isRole, type Principal, type Role } from '@verdict/domain';
import type { OidcConfig } from '@verdict/config';

/** Why a token was refused; the detail is safe to show the caller (it names no key material). */
export class TokenRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenRefusedError';
  }
}

/** Asymmetric signatures only: an HMAC algorithm would let a JWKS's public key act as a shared secret. */
const SIGNING_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/** The value at a dotted path of the claims (`realm_access.roles`), or the claim of that exact name. */
function claimAt(payload: JWTPayload, pathName: string): unknown {
  if (pathName in payload) return payload[pathName];
  return pathName.split('.').reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), payload);
}

/**
 * People's bearer tokens: JWTs signed by the configured issuer, checked with `jose` against its JWKS (fetched and
 * cached by jose, refetched when a token names an unknown key id: the issuer's key rotation needs no restart).
 * Issuer, audience, expiry and not-before are checked; the roles come from the configured claim, and roles Verdict
 * does not know are ignored.
 */
export class OidcVerifier {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly config: OidcConfig) {
    this.jwks = createRemoteJWKSet(new URL(config.jwksUrl));
  }

  async verify(token: string): Promise<{ principal: Principal; expiresAt: number }> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.jwks, {
        issuer: this.config.issuer,
        audience: this.config.audience,
        algorithms: SIGNING_ALGORITHMS,
        requiredClaims: ['exp'], // a token that never expires is not a session
        clockTolerance: 5,
      }));
    } catch (e) {
      if (e instanceof errors.JWTExpired) throw new TokenRefusedError('the token has expired');
      if (e instanceof errors.JWTClaimValidationFailed) throw new TokenRefusedError(`the token's ${e.claim} claim is not accepted`);
      if (e instanceof errors.JOSEError) throw new TokenRefusedError('the token could not be verified');
      throw e; // the JWKS could not be fetched: not the caller's fault
    }
    const subject = claimAt(payload, this.config.subjectClaim);
    if (typeof subject !== 'string' || subject === '') throw new TokenRefusedError(`the token has no ${this.config.subjectClaim} claim`);
    const raw = claimAt(payload, this.config.rolesClaim);
    const roles: Role[] = (Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[\s,]+/) : []).filter(isRole);
    const expiresAt = (payload.exp as number) * 1000; // required above
    return { principal: { kind: 'oidc', client: subject, keyId: `${this.config.issuer}#${subject}`, roles, expiresAt }, expiresAt };
  }
}

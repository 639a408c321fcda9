import { ConfigError } from './config-error';

/** OpenID Connect sign-in for people (docs/security.md): whose tokens are accepted, and where their roles are. */
export interface OidcConfig {
  readonly issuer: string;
  readonly jwksUrl: string;
  /** The `aud` a token must carry (required: a token the issuer minted for another application is not for Verdict). */
  readonly audience: string;
  /** Where the roles are in the token: a claim name, or a dotted path (realm_access.roles). */
  readonly rolesClaim: string;
  /** The claim that names the person in events and the access log. */
  readonly subjectClaim: string;
}

/** OIDC is on when VERDICT_OIDC_ISSUER is set; the JWKS URL is then required (no discovery round trip at start). */
export function oidcConfig(env: NodeJS.ProcessEnv): OidcConfig | null {
  const issuer = env.VERDICT_OIDC_ISSUER?.trim();
  if (!issuer) return null;
  const jwksUrl = env.VERDICT_OIDC_JWKS_URL?.trim();
  if (!jwksUrl) throw new ConfigError('VERDICT_OIDC_JWKS_URL', 'is required when VERDICT_OIDC_ISSUER is set');
  try {
    const url = new URL(jwksUrl);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http(s)');
  } catch {
    throw new ConfigError('VERDICT_OIDC_JWKS_URL', `must be an absolute http(s) URL, got ${JSON.stringify(jwksUrl)}`);
  }
  const audience = env.VERDICT_OIDC_AUDIENCE?.trim();
  if (!audience) throw new ConfigError('VERDICT_OIDC_AUDIENCE', 'is required when VERDICT_OIDC_ISSUER is set: the audience (client id) tokens for Verdict carry');
  return {
    issuer,
    jwksUrl,
    audience,
    rolesClaim: env.VERDICT_OIDC_ROLES_CLAIM?.trim() || 'roles',
    subjectClaim: env.VERDICT_OIDC_SUBJECT_CLAIM?.trim() || 'sub',
  };
}

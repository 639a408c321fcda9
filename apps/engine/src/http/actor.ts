import type { FastifyRequest } from 'fastify';

const ACTOR_HEADER = 'x-verdict-actor';
const SAFE_ACTOR = /^[A-Za-z0-9._@:+\- ]{1,128}$/;

/**
 * Who is making a change, as recorded in its event (beside `metadata.caller`, the authenticated client and key).
 * A person with an OIDC token is the token's subject. A system with an API key is its client; when it acts for a
 * person it names in `X-Verdict-Actor` (a case-management tool's reviewer), the actor is `<client>/<person>`: the
 * claim is the system's, so one system cannot act as another's people (client ids have no "/"), or as a token's.
 */
export function actorOf(request: FastifyRequest): string {
  const principal = request.principal;
  if (principal?.kind === 'oidc') return principal.client;
  const client = principal?.client ?? 'anonymous';
  const header = request.headers[ACTOR_HEADER];
  if (typeof header === 'string' && SAFE_ACTOR.test(header.trim())) return `${client}/${header.trim()}`;
  return client;
}

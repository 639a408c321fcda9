import type { FastifyRequest } from 'fastify';

const ACTOR_HEADER = 'x-verdict-actor';
const SAFE_ACTOR = /^[A-Za-z0-9._@:+\- ]{1,128}$/;

/**
 * Who is making a change, as recorded in its event. Until callers authenticate, it is what the caller says in
 * `X-Verdict-Actor` (the CLI sends user@host); without it, "anonymous".
 */
export function actorOf(request: FastifyRequest): string {
  const header = request.headers[ACTOR_HEADER];
  return typeof header === 'string' && SAFE_ACTOR.test(header.trim()) ? header.trim() : 'anonymous';
}

import type { FastifyInstance } from 'fastify';
import { problem, PROBLEM_CONTENT_TYPE } from '../http/problem-types';
import { isWebSocketUpgrade } from './access-control';

const timers = Symbol('verdict.requestTimer');

/**
 * Every request is answered within `ms` of its first byte: if the handler has not started answering by then, the
 * caller gets 503 `request-timeout` (which says a retry is safe: every command is idempotent) and the handler's late
 * answer is dropped. A streamed answer that has begun (an export) is left to finish. WebSocket connections are
 * long-lived by design and exempt; a route may set its own (`config.timeoutMs`: audit verification). Node's own `requestTimeout` bounds the time to receive the request itself.
 */
export function installRequestTimeout(fastify: FastifyInstance, ms: number): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    if (isWebSocketUpgrade(request)) return done();
    const limit = (request.routeOptions.config as { timeoutMs?: number } | undefined)?.timeoutMs ?? ms;
    const timer = setTimeout(() => {
      if (reply.sent || reply.raw.headersSent) return;
      const doc = problem('request-timeout', `No answer within ${limit} ms. A command may or may not have been recorded: retrying the same request is safe and returns what was recorded.`, { instance: `${request.url}#${request.id}` });
      void reply.code(503).header('content-type', PROBLEM_CONTENT_TYPE).header('retry-after', '1').send(JSON.stringify(doc));
    }, limit);
    timer.unref();
    (request as unknown as Record<symbol, NodeJS.Timeout>)[timers] = timer;
    done();
  });
  fastify.addHook('onResponse', (request, _reply, done) => {
    clearTimeout((request as unknown as Record<symbol, NodeJS.Timeout | undefined>)[timers]);
    done();
  });
}

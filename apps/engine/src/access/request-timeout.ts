import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { sendProblem } from '../http/problem-details.filter';
import { ProblemException } from '../http/problem.exception';
import { isWebSocketUpgrade } from './access-control';

const timers = Symbol('verdict.requestTimer');

/**
 * Every request is answered within `ms` of its first byte: if the handler has not started answering by then, the
 * caller gets 503 `request-timeout` (which says a retry is safe: every command is idempotent) and the handler's late
 * answer is dropped. A streamed answer that has begun (an export) is left to finish. WebSocket connections are
 * long-lived by design and exempt; a route may set its own (`config.timeoutMs`: audit verification). Node's own `requestTimeout` bounds the time to receive the request itself.
 */
export function installRequestTimeout(fastify: FastifyInstance, ms: number, log: Logger): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    if (isWebSocketUpgrade(request)) return done();
    const limit = (request.routeOptions.config as { timeoutMs?: number } | undefined)?.timeoutMs ?? ms;
    const timer = setTimeout(() => {
      if (reply.sent || reply.raw.headersSent) return;
      sendProblem(log, new ProblemException('request-timeout', `No answer within ${limit} ms. A command may or may not have been recorded: retrying the same request is safe and returns what was recorded.`), request, reply);
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

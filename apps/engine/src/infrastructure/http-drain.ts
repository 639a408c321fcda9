import type { Server } from 'node:http';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { ListeningSockets } from '../http/listening-sockets';
import { ProblemException } from '../http/problem.exception';
import { LOGGER } from './tokens';

/** How long a stopping engine lets requests in flight finish before it cuts their connections. */
export const HTTP_DRAIN_GRACE_MS = 5_000;

/**
 * The first step of a shutdown (Nest calls onModuleDestroy before any other hook), so nothing is closed under a
 * request in flight. Draining:
 *
 * - every listening socket closes (new connections are refused) and idle keep-alive connections are closed;
 * - a request that arrives on a connection still open is not started: `503 not-ready`, `Connection: close`;
 * - every request already started (Fastify's onRequest ran before the drain) is answered as usual, with
 *   `Connection: close`, and the drain waits for the last of them.
 *
 * A client that stops reading a large answer (a batch of 1,000 decisions) would hold the drain for Fastify's
 * keep-alive timeout, 72 s; after the grace what is left is cut. Every decision answered was durable before its
 * answer was written, so a cut answer is only a retry for the client (idempotent). See docs/operations.md.
 */
@Injectable()
export class HttpDrain implements OnModuleDestroy {
  private draining = false;
  private inFlight = 0;
  private idle: (() => void) | undefined;

  constructor(
    private readonly host: HttpAdapterHost,
    private readonly sockets: ListeningSockets,
    @Inject(LOGGER) private readonly log: Logger,
  ) {
    // Registered while the application is being built, before any route, so every request passes through it.
    const fastify = host.httpAdapter?.getInstance?.() as FastifyInstance | undefined;
    fastify?.addHook('onRequest', async (request, reply) => {
      if (this.draining) {
        void reply.header('connection', 'close');
        throw new ProblemException('not-ready', 'The engine is shutting down: this request was not started and nothing was recorded. Retry it (on another instance).');
      }
      // A WebSocket upgrade (GraphQL subscriptions) lives as long as the subscription: not a request to wait for.
      if (request.headers.upgrade) return;
      this.inFlight++;
      reply.raw.once('close', () => {
        this.inFlight--;
        if (this.inFlight === 0) this.idle?.();
      });
    });
    fastify?.addHook('onSend', async (_request, reply, payload) => {
      if (this.draining) void reply.header('connection', 'close');
      return payload;
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.sockets.close();
    const server = this.host.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server?.listening) return;
    this.draining = true;
    const started = this.inFlight;
    // Stops listening and closes idle connections; Fastify's own close later finds it closed and carries on.
    server.close();
    const drained = new Promise<boolean>((resolve) => {
      if (this.inFlight === 0) return resolve(true);
      this.idle = () => resolve(true);
      setTimeout(() => resolve(false), HTTP_DRAIN_GRACE_MS).unref();
    });
    const clean = await drained;
    if (!clean) this.log.warn({ inFlight: this.inFlight, graceMs: HTTP_DRAIN_GRACE_MS }, 'HTTP drain: grace over, cutting the connections left');
    server.closeAllConnections();
    this.log.info({ inFlightAtStart: started, cut: clean ? 0 : this.inFlight }, 'HTTP drained');
  }
}

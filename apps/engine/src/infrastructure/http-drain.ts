import type { Server } from 'node:http';
import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

/** How long a stopping engine lets open responses finish before it cuts their connections. */
export const HTTP_DRAIN_GRACE_MS = 5_000;

/**
 * Bounds the HTTP drain at shutdown. Closing the server waits for every open connection's response to finish; a
 * client that stops reading a large answer (a batch of 1,000 decisions) kept the process for Fastify's keep-alive
 * timeout, 72 s (seen on Node 22 in the batch tests). After the grace, what is left is cut. Every decision answered
 * was durable before its answer was written, so a cut answer is only a retry for the client (idempotent).
 */
@Injectable()
export class HttpDrain implements BeforeApplicationShutdown {
  constructor(private readonly host: HttpAdapterHost) {}

  beforeApplicationShutdown(): void {
    const server = this.host.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server) return;
    setTimeout(() => server.closeAllConnections(), HTTP_DRAIN_GRACE_MS).unref();
  }
}

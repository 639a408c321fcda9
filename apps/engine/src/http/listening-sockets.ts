import type { Server } from 'node:http';
import { createServer, type Server as NetServer } from 'node:net';
import { Inject, Injectable } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyListenOptions } from 'fastify';
import type { Logger } from 'pino';
import { LOGGER } from '../infrastructure/tokens';

export interface ListenOptions {
  readonly host: string;
  /** 0: any free port. */
  readonly port: number;
  /** Listening sockets wanted (VERDICT_LISTEN_SOCKETS); 1 off Linux, where SO_REUSEPORT does not spread connections. */
  readonly sockets: number;
}

/** What net.Server keeps of its options for the sockets it accepts (not in @types/node); the delay is in seconds. */
interface AcceptOptions {
  readonly allowHalfOpen: boolean;
  readonly noDelay: boolean;
  readonly keepAlive: boolean;
  readonly keepAliveInitialDelay: number;
  readonly highWaterMark: number;
}

/**
 * The engine's listening sockets. libuv (since 1.45) accepts one connection per listening socket per turn of the
 * event loop, and a turn of an engine under load takes 5–30 ms. A burst of new connections (a client's pool after a
 * restart, a load balancer failing over) therefore waited in the kernel's accept queue: 200 connections, up to 3 s
 * (docs/benchmarks.md, 2026-12-06). On Linux the engine listens on several sockets bound with SO_REUSEPORT: the
 * kernel spreads new connections over them, each turn accepts one from each, and every socket hands its connections
 * to the one HTTP server, so routes, hooks, timeouts and the drain treat them all alike.
 */
@Injectable()
export class ListeningSockets {
  private readonly extra: NetServer[] = [];

  constructor(@Inject(LOGGER) private readonly log: Logger) {}

  /**
   * Listens on host:port. A port another process listens on is refused (EADDRINUSE) even when that process uses
   * SO_REUSEPORT too: a second engine started on the same port must fail, not share the traffic.
   */
  async listen(app: NestFastifyApplication, options: ListenOptions): Promise<void> {
    const wanted = process.platform === 'linux' ? options.sockets : 1;
    if (wanted <= 1) {
      await app.listen({ port: options.port, host: options.host });
      return;
    }
    // Without SO_REUSEPORT this bind fails on a port anyone listens on; with it, the group below would join them.
    const port = await freePort(options.host, options.port);
    // Fastify hands its listen options to net.Server#listen, which knows reusePort; Fastify's types do not.
    const group: FastifyListenOptions & { reusePort: boolean } = { port, host: options.host, reusePort: true };
    await app.listen(group);
    const server = app.getHttpServer() as Server;
    const own = server as unknown as AcceptOptions;
    const address = server.address();
    if (address === null || typeof address === 'string') return;
    for (let i = 1; i < wanted; i++) {
      const extra = createServer(
        {
          // As the HTTP server's own socket accepts (http.Server's defaults: half-open allowed, no Nagle).
          allowHalfOpen: own.allowHalfOpen,
          noDelay: own.noDelay,
          keepAlive: own.keepAlive,
          keepAliveInitialDelay: own.keepAliveInitialDelay * 1000,
          highWaterMark: own.highWaterMark,
        },
        (socket) => server.emit('connection', socket),
      );
      try {
        await new Promise<void>((resolve, reject) => {
          extra.once('error', reject);
          extra.listen({ port: address.port, host: address.address, reusePort: true }, () => {
            extra.off('error', reject);
            resolve();
          });
        });
      } catch (error) {
        // Serving goes on with the sockets that listen: fewer only means slower accepts in a burst.
        this.log.warn({ err: error, listening: this.extra.length + 1, wanted }, 'could not open another listening socket');
        break;
      }
      this.extra.push(extra);
    }
  }

  /** How many sockets listen: the HTTP server's own and the extra ones. */
  get count(): number {
    return this.extra.length + 1;
  }

  /** Stops accepting on the extra sockets (the drain closes the HTTP server's own); connections accepted stay open. */
  close(): void {
    for (const extra of this.extra.splice(0)) extra.close();
  }
}

/** `port` if nothing listens on it (or a free one for 0), checked by a bind without SO_REUSEPORT. */
function freePort(host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ port, host, exclusive: true }, () => {
      const address = probe.address();
      probe.close(() => (address !== null && typeof address !== 'string' ? resolve(address.port) : reject(new Error(`no port for ${host}:${port}`))));
    });
  });
}

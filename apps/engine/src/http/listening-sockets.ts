import type { Server } from 'node:http';
import { createServer, isIP, type Server as NetServer } from 'node:net';
import { Inject, Injectable } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyListenOptions } from 'fastify';
import type { Logger } from 'pino';
import { LOGGER } from '../infrastructure/tokens';

export interface ListenOptions {
  readonly host: string;
  /** 0: any free port. */
  readonly port: number;
  /** Listening sockets wanted (VERDICT_LISTEN_SOCKETS); 1 off Linux and for a host name (see ListeningSockets). */
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
 * The engine's listening sockets. libuv (since its PR 3696, 2022) accepts one connection per listening socket per
 * turn of the event loop, and a turn of an engine under load takes 5–30 ms. A burst of new connections (a client's
 * pool after a restart, a load balancer failing over) therefore waited in the kernel's accept queue: 200
 * connections, up to 3 s (docs/benchmarks.md, 2026-12-06). On Linux the engine listens on several sockets bound with
 * SO_REUSEPORT: the kernel spreads new connections over them, each turn accepts one from each, and every socket hands
 * its connections to the one HTTP server, so routes, hooks, timeouts and the drain treat them all alike.
 *
 * Only for an IP address: Fastify binds every address a host name resolves to, and would bind the others with
 * SO_REUSEPORT unchecked. Connections accepted by an extra socket are not counted by the HTTP server's
 * getConnections() nor limited by its maxConnections (the engine sets neither).
 */
@Injectable()
export class ListeningSockets {
  private readonly extra: NetServer[] = [];
  /** Held from before the bind until close(): two engines starting together on one address cannot both bind it. */
  private lock: NetServer | undefined;
  private closed = false;

  constructor(@Inject(LOGGER) private readonly log: Logger) {}

  /**
   * Listens on host:port. A port another process listens on is refused (EADDRINUSE) even when that process uses
   * SO_REUSEPORT too: a second engine started on the same port must fail, not share the traffic.
   */
  async listen(app: NestFastifyApplication, options: ListenOptions): Promise<void> {
    const wanted = process.platform === 'linux' && isIP(options.host) !== 0 ? options.sockets : 1;
    if (wanted <= 1) {
      await app.listen({ port: options.port, host: options.host });
      return;
    }
    // Start-up (the warm-up included) runs first, so the port is checked just before it is bound.
    await app.init();
    // Without SO_REUSEPORT this bind fails on a port anyone listens on; with it, the group below would join them.
    const port = await freePort(options.host, options.port);
    this.lock = await addressLock(options.host, port, (error) =>
      // Somewhere abstract sockets are not allowed: the probe alone guards the port, as it did before the lock.
      this.log.warn({ err: error }, 'could not take the listening lock; two engines starting together on this address would not be told apart'),
    );
    // Fastify hands its listen options to net.Server#listen, which knows reusePort; Fastify's types do not.
    const group: FastifyListenOptions & { reusePort: boolean } = { port, host: options.host, reusePort: true };
    try {
      await app.listen(group);
    } catch (error) {
      this.close();
      throw error;
    }
    const server = app.getHttpServer() as Server;
    const own = server as unknown as AcceptOptions;
    for (let i = 1; i < wanted && !this.closed; i++) {
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
        await listenOn(extra, { port, host: options.host, reusePort: true });
      } catch (error) {
        // Serving goes on with the sockets that listen: fewer only means slower accepts in a burst.
        this.log.warn({ err: error, listening: this.extra.length + 1, wanted }, 'could not open another listening socket');
        break;
      }
      // A drain that began while this socket was opening has closed the others: this one must not stay open.
      if (this.closed) extra.close();
      else this.extra.push(extra);
    }
  }

  /** How many sockets listen: the HTTP server's own and the extra ones. */
  get count(): number {
    return this.extra.length + 1;
  }

  /** Stops accepting on the extra sockets (the drain closes the HTTP server's own); connections accepted stay open. */
  close(): void {
    this.closed = true;
    for (const extra of this.extra.splice(0)) extra.close();
    this.lock?.close();
    this.lock = undefined;
  }
}

function listenOn(server: NetServer, options: { port?: number; host?: string; path?: string; reusePort?: boolean }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** `port` if nothing listens on it (or a free one for 0), checked by a bind without SO_REUSEPORT. */
async function freePort(host: string, port: number): Promise<number> {
  const probe = createServer();
  await listenOn(probe, { port, host });
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (address === null || typeof address === 'string') throw new Error(`no port for ${host}:${port}`);
  return address.port;
}

/**
 * A name in Linux's abstract socket namespace for host:port, which only one process can hold. The probe above and
 * the bind are two steps: an engine that probes between another's probe and bind finds the address free, then fails
 * here.
 */
async function addressLock(host: string, port: number, unavailable: (error: unknown) => void): Promise<NetServer | undefined> {
  const lock = createServer();
  try {
    await listenOn(lock, { path: `\0verdict-engine-listen:${host}:${port}` });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw Object.assign(new Error(`listen EADDRINUSE: another Verdict engine is starting on ${host}:${port}`), { code: 'EADDRINUSE' });
    }
    unavailable(error);
    return undefined;
  }
  lock.unref();
  return lock;
}

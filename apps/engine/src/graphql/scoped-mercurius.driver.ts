import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import type { FastifyInstance } from 'fastify';
import mercurius from 'mercurius';

/**
 * The Mercurius driver, registered in its own Fastify scope instead of the root one. Mercurius brings
 * @fastify/websocket, whose onRequest and onResponse hooks (and reply decorations) would otherwise run on every
 * request the engine serves, POST /v1/decisions included; scoped, they run for /graphql only.
 *
 * Mercurius hooks given as `hooks` are added in that scope. Nest's resolver request hooks and `plugins` are not used
 * by Verdict and are not wired.
 */
export class ScopedMercuriusDriver extends MercuriusDriver {
  override async start(options: MercuriusDriverConfig): Promise<void> {
    const { hooks, plugins: _unused, ...mercuriusOptions } = options;
    const root = this.httpAdapterHost.httpAdapter.getInstance<FastifyInstance>();
    await root.register(async (scope) => {
      await scope.register(mercurius, mercuriusOptions);
      for (const [name, fns] of Object.entries(hooks ?? {})) {
        for (const fn of [fns].flat()) scope.graphql.addHook(name as never, fn as never);
      }
    });
  }
}

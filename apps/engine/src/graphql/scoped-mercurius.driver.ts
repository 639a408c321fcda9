import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import mercurius from 'mercurius';
import { checkGraphqlRequest } from './graphql-request';
import { adaptGraphqlSocket, type GraphqlSocket } from './graphql-ws-socket';

/**
 * The Mercurius driver, registered in its own Fastify scope instead of the root one. Mercurius brings
 * @fastify/websocket: its onRequest/onResponse hooks, its handler wrapper for routes added after it, and the
 * request and reply decorations of both would otherwise apply to every route of the engine, POST /v1/decisions
 * included (the hooks only miss Nest's routes today because those happen to be registered first). Scoped, they
 * apply to /graphql only, whatever the order.
 *
 * Mercurius hooks given as `hooks` are added in that scope, and every HTTP request is checked to be a GraphQL request
 * naming one operation first (graphql-request.ts); WebSocket refusals are closes with graphql-transport-ws' codes
 * (graphql-ws-socket.ts). Nest's resolver request hooks and `plugins` are not used
 * by Verdict and are not wired.
 */
export class ScopedMercuriusDriver extends MercuriusDriver {
  override async start(options: MercuriusDriverConfig): Promise<void> {
    const { hooks, plugins: _unused, ...mercuriusOptions } = options;
    const root = this.httpAdapterHost.httpAdapter.getInstance<FastifyInstance>();
    // Queued, not awaited: awaiting a registration here makes Fastify build every route registered so far at once,
    // before Nest has set its error handler, and body errors (malformed JSON, 413, 415) would no longer be
    // problem+json. Queued, it loads with the rest when the server starts.
    void root.register(async (scope) => {
      // Before Mercurius adds its WebSocket route, so the socket is adapted before Mercurius takes it.
      scope.addHook('onRoute', (route) => {
        const handler = (route as { wsHandler?: (socket: GraphqlSocket, request: FastifyRequest) => unknown }).wsHandler;
        if (!handler) return;
        (route as { wsHandler?: unknown }).wsHandler = function (this: unknown, socket: GraphqlSocket, request: FastifyRequest) {
          adaptGraphqlSocket(socket);
          return handler.call(this, socket, request);
        };
      });
      await scope.register(mercurius, mercuriusOptions);
      // Before the route's schema, which would turn a number into a string and hide the client's mistake.
      scope.addHook('preValidation', async (request) => checkGraphqlRequest(request));
      for (const [name, fns] of Object.entries(hooks ?? {})) {
        for (const fn of [fns].flat()) scope.graphql.addHook(name as never, fn as never);
      }
    });
  }
}

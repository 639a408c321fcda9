import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { grants, type Principal, type Role } from '@verdict/domain';
import { ProblemException } from '../http/problem.exception';
import type { Authenticator } from './authenticator';
import { UnauthenticatedError } from './authenticator';
import { callerContext } from './caller-context';
import type { RouteAccessCatalog } from './route-access-catalog';
import type { AccessRouteConfig, RouteAccess } from './route-roles';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller (absent on public routes). */
    principal?: Principal;
  }
}

export interface AccessControlOptions {
  readonly authenticator: Authenticator;
  /** /metrics open to anyone (VERDICT_METRICS_PUBLIC). */
  readonly metricsPublic: boolean;
  /** GraphQL's path: open to the roles of its fields; WebSocket upgrades to it authenticate in connection_init. */
  readonly graphqlPath: string;
  /** Filled with each route's declared access as routes are registered (for the OpenAPI document). */
  readonly catalog: RouteAccessCatalog;
}

/** /graphql over HTTP: the union of its root fields' roles (each field then checks its own: GraphqlRoles). */
const GRAPHQL_ACCESS: RouteAccess = ['analyze', 'operate'];

/** Whether the caller may use the route; the refusal to answer with, if not. */
function admit(request: FastifyRequest, principal: Principal, access: readonly Role[] | undefined): ProblemException | undefined {
  request.principal = principal;
  if (request.is404) return undefined; // authenticated: now it may learn the route does not exist
  const needed = access ?? [];
  if (grants(principal.roles, needed)) return undefined;
  return new ProblemException('forbidden', needed.length === 0 ? 'This route is open to admin only.' : `This needs one of the roles ${needed.join(', ')}; the caller holds ${principal.roles.join(', ') || 'none'}.`, {
    requiredRoles: needed,
  });
}

/**
 * A real WebSocket handshake, as Node parsed it (a GET with `Connection: upgrade`), not merely a request that carries an
 * `Upgrade` header: such a request is plain HTTP and is authenticated like any other.
 */
export const isWebSocketUpgrade = (request: FastifyRequest): boolean =>
  (request.raw as { upgrade?: boolean }).upgrade === true && request.method === 'GET' && (request.headers.upgrade ?? '').toLowerCase() === 'websocket';

/**
 * Who may call what, decided before the body is read (an unauthenticated caller cannot make the engine parse 8 MiB):
 * each route declares its access (route-roles.ts); a route that declares none is closed to everyone but `admin`.
 * An unknown path is 401 before it is 404, so the API's shape is not disclosed to strangers. Then, just before the
 * handler, the caller is entered into the request's async context, where the event-store wrapper finds it.
 */
export function installAccessControl(fastify: FastifyInstance, options: AccessControlOptions): void {
  fastify.decorateRequest('principal', undefined);
  fastify.addHook('onRoute', (route) => {
    if (route.url === options.graphqlPath) route.config = { ...route.config, access: GRAPHQL_ACCESS } as typeof route.config;
    options.catalog.add(route.method, route.url, (route.config as AccessRouteConfig | undefined)?.access);
  });
  // Callback style, with a synchronous path for a credential already verified: the hot path pays no promise for it.
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
    const access = (request.routeOptions.config as AccessRouteConfig | undefined)?.access;
    if (access === 'public') return done();
    if (options.metricsPublic && request.routeOptions.url === '/metrics') return done();
    if (request.routeOptions.url === options.graphqlPath && isWebSocketUpgrade(request)) return done();
    const header = request.headers.authorization;
    const known = options.authenticator.cached(header);
    if (known) return done(admit(request, known, access));
    options.authenticator.authenticate(header).then(
      (principal) => done(admit(request, principal, access)),
      (error: unknown) => {
        if (!(error instanceof UnauthenticatedError)) return done(error as Error);
        reply.header('www-authenticate', 'Bearer realm="verdict"');
        done(new ProblemException('unauthenticated', error.message));
      },
    );
  });
  fastify.addHook('preHandler', (request, _reply, done) => {
    if (request.principal) callerContext.enterWith(request.principal);
    done();
  });
}

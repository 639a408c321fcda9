import { applyDecorators, SetMetadata } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { Role } from '@verdict/domain';

/** Where a route's or resolver's roles are kept: Fastify's route config (HTTP) and Nest metadata (GraphQL). */
export const ROLES_METADATA = 'verdict:roles';

/** `public`: no key needed (liveness, readiness, the API's own description). */
export type RouteAccess = readonly Role[] | 'public';

export interface AccessRouteConfig {
  readonly access?: RouteAccess;
}

/** The roles any one of which lets a caller use this route or field (`admin` always may). */
export const Roles = (...roles: Role[]) => applyDecorators(RouteConfig({ access: roles } satisfies AccessRouteConfig), SetMetadata(ROLES_METADATA, roles));

/** Open to anyone who can reach the port. */
export const Public = () => applyDecorators(RouteConfig({ access: 'public' } satisfies AccessRouteConfig), SetMetadata(ROLES_METADATA, 'public'));

import type { RouteAccess } from './route-roles';

/** `GET /v1/decisions/:decisionId`: a route as Fastify registers it. */
export const routeKey = (method: string, url: string): string => `${method.toUpperCase()} ${url}`;

/**
 * What each registered route declares (filled as Fastify registers routes), so the OpenAPI document states the same
 * roles the access-control hook enforces: one declaration, on the handler.
 */
export class RouteAccessCatalog {
  private readonly routes_ = new Map<string, RouteAccess | undefined>();

  add(method: string | readonly string[], url: string, access: RouteAccess | undefined): void {
    for (const m of [method].flat()) this.routes_.set(routeKey(m, url), access);
  }

  /** Every registered route as `METHOD url`. */
  routes(): string[] {
    return [...this.routes_.keys()];
  }

  /** Whether the route is registered, and what it declares (undefined: nothing, so admin only). */
  lookup(method: string, url: string): { registered: boolean; access: RouteAccess | undefined } {
    const key = routeKey(method, url);
    return { registered: this.routes_.has(key), access: this.routes_.get(key) };
  }
}

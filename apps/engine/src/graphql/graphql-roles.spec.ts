import 'reflect-metadata';
import { GUARDS_METADATA } from '@nestjs/common/constants';
import { ROLES_METADATA } from '../access/route-roles';
import { GraphqlRoles } from '../access/graphql-roles.guard';
import { GRAPHQL_RESOLVERS } from './graphql.providers';

const ROOT_TYPES = ['Query', 'Mutation', 'Subscription'];

/** Every root field (query, mutation, subscription) declares its roles, and the guard that checks them runs on it. */
describe('GraphQL root fields', () => {
  const rootFields = GRAPHQL_RESOLVERS.flatMap((resolver) =>
    Object.getOwnPropertyNames(resolver.prototype)
      .map((name) => ({ resolver, name, handler: (resolver.prototype as unknown as Record<string, unknown>)[name] as object }))
      .filter(({ handler }) => typeof handler === 'function' && ROOT_TYPES.includes(Reflect.getMetadata('graphql:resolver_type', handler) as string)),
  );

  it('are found (the walk sees the schema)', () => {
    expect(rootFields.map((f) => f.name)).toEqual(expect.arrayContaining(['decisions', 'decision', 'decisionMade', 'models', 'deployment', 'alerts', 'reviews', 'transaction']));
  });

  it.each(rootFields.map((f) => [`${f.resolver.name}.${f.name}`, f] as const))('%s declares roles and is guarded', (_name, { resolver, handler }) => {
    const roles: unknown = Reflect.getMetadata(ROLES_METADATA, handler) ?? Reflect.getMetadata(ROLES_METADATA, resolver);
    expect(Array.isArray(roles) && roles.length > 0).toBe(true);
    const guards = [...((Reflect.getMetadata(GUARDS_METADATA, handler) as unknown[]) ?? []), ...((Reflect.getMetadata(GUARDS_METADATA, resolver) as unknown[]) ?? [])];
    expect(guards).toContain(GraphqlRoles);
  });
});

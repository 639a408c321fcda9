import { Injectable, UseGuards, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { grants, type Principal } from '@verdict/domain';
import { ProblemException } from '../http/problem.exception';
import { ROLES_METADATA, type RouteAccess } from './route-roles';

/**
 * GraphQL's half of access control: /graphql itself only asks for a valid caller (HTTP, or a WebSocket's
 * connection_init), and each root field checks its declared roles here (method first, then its resolver class).
 * A field that declares none is closed to all but admin.
 */
@Injectable()
export class GraphqlRoles implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const access = this.reflector.getAllAndOverride<RouteAccess | undefined>(ROLES_METADATA, [context.getHandler(), context.getClass()]);
    if (access === 'public') return true;
    const principal = (GqlExecutionContext.create(context).getContext() as { principal?: Principal }).principal;
    if (!principal) throw new ProblemException('unauthenticated', 'Send `Authorization: Bearer <API key or token>` (over WebSocket: connectionParams.authorization).');
    const needed = access ?? [];
    if (grants(principal.roles, needed)) return true;
    throw new ProblemException('forbidden', `This field needs one of the roles ${needed.join(', ') || 'admin'}; the caller holds ${principal.roles.join(', ') || 'none'}.`, { requiredRoles: needed });
  }
}

export const GuardedByRoles = () => UseGuards(GraphqlRoles);

import { Injectable, UseInterceptors, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import type { GraphQLResolveInfo } from 'graphql';
import { catchError, mergeMap, type Observable } from 'rxjs';
import type { Principal } from '@verdict/domain';
import { toProblem } from '../http/problem-mapping';
import { ProblemException } from '../http/problem.exception';
import { AccessLog, countDecisionRecords, type AccessEntry } from './access-log';

export type Target = Omit<AccessEntry, 'status' | 'records'>;

/** Who reads what: the route as declared and its parameters, or the GraphQL operation, root field and arguments. */
function targetOf(context: ExecutionContext): Target | null {
  if (context.getType<string>() === 'graphql') {
    const gql = GqlExecutionContext.create(context);
    const principal = (gql.getContext() as { principal?: Principal }).principal;
    const info = gql.getInfo<GraphQLResolveInfo>();
    if (!principal) return null;
    return { principal, operation: `graphql:${info.operation.name?.value ?? 'anonymous'}.${info.fieldName}`, parameters: gql.getArgs() as Record<string, unknown> };
  }
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  if (!request.principal) return null;
  return {
    principal: request.principal,
    operation: `${request.method} ${request.routeOptions.url ?? request.url}`,
    parameters: { ...(request.params as Record<string, unknown>), ...(request.query as Record<string, unknown>) },
  };
}

/** A read that failed, as the access log keeps it: with the status its answer gets, and no records. */
export const failedRead = (target: Target, error: unknown): AccessEntry => ({ ...target, status: toProblem(error).doc.status, records: 0 });

/**
 * Records each read of decision data in the access log before the answer leaves: on success with the number of
 * decision records answered, on failure with the failure's status (a refused or missing read is an access too).
 */
@Injectable()
export class AccessRecording implements NestInterceptor {
  constructor(private readonly log: AccessLog) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const target = targetOf(context);
    // Reads of decision data are never served unrecorded: without a caller to record, there is no answer.
    if (!target) throw new ProblemException('unauthenticated', 'Reads of decision data need an authenticated caller.');
    return next.handle().pipe(
      mergeMap(async (value: unknown) => {
        await this.log.record({ ...target, status: 200, records: countDecisionRecords(value) });
        return value;
      }),
      catchError(async (error: unknown) => {
        await this.log.record(failedRead(target, error));
        throw error;
      }),
    );
  }
}

/** On a route or resolver that answers decision data: every call is in the access log (docs/security.md). */
export const RecordsAccess = () => UseInterceptors(AccessRecording);

import type { DynamicModule } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import type { MercuriusDriverConfig } from '@nestjs/mercurius';
import { GraphQLError, specifiedRules, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { FastifyReply, FastifyRequest } from 'fastify';
import mercurius from 'mercurius';
import { retryAfter } from '../http/problem-details.filter';
import { ProblemException } from '../http/problem.exception';
import { PROBLEM_CONTENT_TYPE } from '../http/problem-types';
import type { VerdictConfig } from '@verdict/config';
import type { Principal } from '@verdict/domain';
import { toGraphqlError } from './graphql-errors';
import { LIVE_CONTEXT } from './graphql-loaders';
import { complexityError, complexityOf, maxDepthRule, QueryLimitError, type GraphqlLimits } from './query-limits';
import { ScopedMercuriusDriver } from './scoped-mercurius.driver';

export const GRAPHQL_PATH = '/graphql';

/** Idle WebSocket connections are pinged this often, so proxies keep a quiet subscription open. */
const KEEP_ALIVE_MS = 30_000;

/** Which operation of the document runs (POST body or GET query string); undefined when it has only one. */
function operationNameOf(context: { reply?: { request?: { body?: unknown; query?: unknown } } }): string | undefined {
  const request = context.reply?.request;
  for (const source of [request?.body, request?.query]) {
    const name = (source as { operationName?: unknown } | undefined)?.operationName;
    if (typeof name === 'string' && name !== '') return name;
  }
  return undefined;
}

/**
 * The limits, enforced before anything runs. Over HTTP, Mercurius validates (the depth rule is one of its
 * validation rules) and the preExecution hook measures the cost with the request's variables. Over WebSocket,
 * Mercurius does not validate subscriptions at all, so the preSubscriptionExecution hook runs the standard rules and
 * the depth rule itself; the cost of a subscription is measured by its resolver (see DecisionMadeResolver).
 */
function limitHooks(limits: GraphqlLimits): MercuriusDriverConfig['hooks'] {
  const depth = maxDepthRule(limits.maxDepth);
  return {
    preExecution: async (schema: GraphQLSchema, document: DocumentNode, context, variables) => {
      const error = complexityError(limits, complexityOf(schema, document, variables as Record<string, unknown>, operationNameOf(context as never)));
      if (error) throw new QueryLimitError([error]);
    },
    preSubscriptionExecution: async (schema: GraphQLSchema, document: DocumentNode) => {
      const [first] = validate(schema, document, [...specifiedRules, depth]);
      if (first) throw first;
    },
  };
}

/**
 * Errors on the /graphql route before GraphQL runs: access control's (401, 403, 429, timeout) keep their status and
 * problem+json, as on every route; the client's mistakes (a malformed request or query, an operation over a limit)
 * are GraphQL errors, as Mercurius answers them; anything else is the engine's fault: logged, and answered with its
 * problem's 5xx (500 `internal-error` without its text; 503 with Retry-After when a retry is safe).
 */
function graphqlRouteErrors(error: Error, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof ProblemException) {
    void reply.code(error.document.status).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify({ ...error.document, instance: `${request.url}#${request.id}` }));
    return;
  }
  const status = (error as { statusCode?: unknown }).statusCode;
  if (!(error instanceof GraphQLError) && !(typeof status === 'number' && status >= 400 && status < 500)) {
    const graphqlError = toGraphqlError(request.log as never, error);
    // The problem's own status: a 503 (the store, a timeout) says a retry is safe, with Retry-After, as on every route.
    const problemStatus = Number(graphqlError.extensions.status);
    const code = problemStatus >= 500 ? problemStatus : 500;
    retryAfter(code, reply);
    void reply.code(code).send({ data: null, errors: [graphqlError.toJSON()] });
    return;
  }
  const graphqlError = error instanceof GraphQLError ? error : new GraphQLError(error.message, { originalError: error, extensions: (error as { extensions?: Record<string, unknown> }).extensions });
  const { statusCode, response } = mercurius.defaultErrorFormatter({ errors: [graphqlError] } as never, { reply } as never);
  void reply.code(statusCode).send(response);
}

/** Authenticates a WebSocket's `connectionParams.authorization`; throws when it is not accepted. */
export type SubscriptionAuthenticator = (authorization: string | undefined) => Promise<Principal>;

/**
 * GraphQL on the engine's own Fastify server: code first, Mercurius, subscriptions over graphql-ws. The caller is in
 * every operation's context as `principal`: over HTTP from the access-control hook, over WebSocket from the
 * connection_init message (a connection without an accepted credential is refused there).
 */
export function graphqlModule(config: VerdictConfig, authenticate: SubscriptionAuthenticator): DynamicModule {
  return GraphQLModule.forRoot<MercuriusDriverConfig>({
    driver: ScopedMercuriusDriver,
    path: GRAPHQL_PATH,
    autoSchemaFile: true, // built in memory; the committed copy is schema.graphql (npm run graphql:schema)
    sortSchema: true,
    graphiql: false,
    context: (request: FastifyRequest) => ({ principal: request.principal }),
    errorHandler: graphqlRouteErrors,
    // Field resolvers' errors (a version's performance with bad arguments) go through the same exception filter as
    // the queries', so they carry the problem code and argument paths too.
    fieldResolverEnhancers: ['filters'],
    validationRules: [maxDepthRule(config.graphql.maxDepth)],
    hooks: limitHooks(config.graphql),
    subscription: {
      context: () => ({ [LIVE_CONTEXT]: true }),
      keepAlive: KEEP_ALIVE_MS,
      onConnect: async ({ payload }: { payload?: { authorization?: unknown } }) => {
        const authorization = typeof payload?.authorization === 'string' ? payload.authorization : undefined;
        try {
          return { principal: await authenticate(authorization) };
        } catch {
          return false; // closed with 4403 Forbidden (graphql-ws-socket.ts)
        }
      },
    },
  });
}

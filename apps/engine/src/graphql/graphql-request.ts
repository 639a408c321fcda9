import { GraphQLError, Kind, parse, type OperationDefinitionNode } from 'graphql';
import type { FastifyRequest } from 'fastify';

/** A request that is not a GraphQL-over-HTTP request: refused with HTTP 400 and its errors, before anything runs. */
export class GraphqlRequestError extends Error {
  readonly statusCode = 400;
  readonly errors: readonly GraphQLError[];
  constructor(error: GraphQLError | string) {
    super(typeof error === 'string' ? error : error.message);
    this.name = 'GraphqlRequestError';
    this.errors = [typeof error === 'string' ? new GraphQLError(error) : error];
  }
}

/**
 * What the request asks to run must be GraphQL text naming one operation; checked before Mercurius sees it.
 * Mercurius would take a query that is not GraphQL text for a document tree in JSON (a number or `{"kind":…}`
 * reached the validation rules as a "document"), turns a number into a string before its own checks, and looks up
 * operationName without checking it (a GET with an unknown one failed on null, a POST in the cost estimate). Those
 * were TypeErrors answered 200 with their text. Its cache keys documents by text alone, so the operationName must be
 * checked on every request, not only on a document's first: the text is parsed once more here for it (microseconds,
 * against the reads it guards).
 */
export function checkGraphqlRequest(request: FastifyRequest): void {
  if ((request as { ws?: boolean }).ws) return; // the WebSocket upgrade: its messages carry the operations
  const params = request.method === 'GET' ? request.query : request.body;
  if (params === null || typeof params !== 'object' || Array.isArray(params)) return; // the route's schema refuses it
  const { query, operationName } = params as { query?: unknown; operationName?: unknown };
  if (typeof query !== 'string' || query.trim() === '') throw new GraphqlRequestError('The query must be a string: the text of a GraphQL document.');
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') {
    throw new GraphqlRequestError('The operationName must be a string naming an operation of the document, or absent.');
  }
  let operations: OperationDefinitionNode[];
  try {
    operations = parse(query).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  } catch (error) {
    throw error instanceof GraphQLError ? new GraphqlRequestError(error) : error;
  }
  if (typeof operationName === 'string') {
    if (!operations.some((o) => o.name?.value === operationName)) throw new GraphqlRequestError(`The document has no operation named ${JSON.stringify(operationName)}.`);
  } else if (operations.length > 1) {
    throw new GraphqlRequestError(`The document has ${operations.length} operations: operationName must name the one to run.`);
  }
}

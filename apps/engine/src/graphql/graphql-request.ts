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
 * What a request or a WebSocket `subscribe` asks to run must be GraphQL text naming one operation: the error saying
 * what is wrong, or null. Mercurius would take a query that is not GraphQL text for a document tree in JSON (a number
 * or `{"kind":…}` reached the validation rules as a "document"), and looks operationName up without checking it (an
 * unknown one failed on null). Those were TypeErrors answered with their text. Its cache keys documents by text
 * alone, so this runs on every request, not only on a document's first: the text is parsed once more here
 * (microseconds, against the reads it guards).
 */
export function operationError(query: unknown, operationName: unknown): GraphQLError | null {
  if (typeof query !== 'string' || query.trim() === '') return new GraphQLError('The query must be a string: the text of a GraphQL document.');
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') {
    return new GraphQLError('The operationName must be a string naming an operation of the document, or absent.');
  }
  let operations: OperationDefinitionNode[];
  try {
    operations = parse(query).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
  if (typeof operationName === 'string') {
    if (!operations.some((o) => o.name?.value === operationName)) return new GraphQLError(`The document has no operation named ${JSON.stringify(operationName)}.`);
  } else if (operations.length > 1) {
    return new GraphQLError(`The document has ${operations.length} operations: operationName must name the one to run.`);
  }
  return null;
}

/** An HTTP request's operationError, before Mercurius and before the route's schema (which turns a number into a string). */
export function checkGraphqlRequest(request: FastifyRequest): void {
  if ((request as { ws?: boolean }).ws) return; // the WebSocket upgrade: its messages carry the operations
  const params = request.method === 'GET' ? request.query : request.body;
  if (params === null || typeof params !== 'object' || Array.isArray(params)) return; // the route's schema refuses it
  const { query, operationName } = params as { query?: unknown; operationName?: unknown };
  const error = operationError(query, operationName);
  if (error) throw new GraphqlRequestError(error);
}

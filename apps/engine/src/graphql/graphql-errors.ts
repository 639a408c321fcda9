import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { toProblem } from '../http/problem-mapping';

/**
 * A resolver's error as a GraphQL error carrying the same problem the REST API would answer: `extensions.code` is
 * the problem code (`/problems/<code>`), with its status and, for bad arguments, `errors[].path` into the arguments.
 * Unexpected errors are logged and answered as `internal-error` without their message.
 */
export function toGraphqlError(log: Logger, error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  const { doc, internal } = toProblem(error);
  if (internal) log.error({ err: error }, 'GraphQL resolver failed');
  const { type, title: _title, status, detail, instance: _instance, ...extra } = doc;
  const code = type.startsWith('/problems/') ? type.slice('/problems/'.length) : type;
  return new GraphQLError(detail, { extensions: { code, status, type, ...extra } });
}

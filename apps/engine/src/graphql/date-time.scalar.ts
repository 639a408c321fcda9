import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { isInstantParam } from '@verdict/domain';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function parse(value: unknown): Date {
  // A Date passes as itself: the complexity check re-reads variables that were already parsed.
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
  // The calendar too: new Date() rolls 2026-02-30 over to March 2.
  if (typeof value === 'string' && ISO_DATE_TIME.test(value) && isInstantParam(value)) {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new GraphQLError(`DateTime must be an ISO-8601 date-time with an offset (e.g. 2026-12-01T09:00:00Z), got ${JSON.stringify(value)}`);
}

/**
 * ISO-8601 instants, answered in UTC with milliseconds. Unlike Nest's built-in DateTime (which turns a bad string
 * into an Invalid Date), a malformed input is a GraphQL error naming the value.
 */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An instant as an ISO-8601 date-time with an offset; answered in UTC, e.g. 2026-12-01T09:00:00.000Z.',
  serialize(value) {
    if (value instanceof Date) return value.toISOString();
    if (typeof value === 'string') return parse(value).toISOString();
    throw new GraphQLError(`DateTime cannot represent ${JSON.stringify(value)}`);
  },
  parseValue: parse,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be a string', { nodes: [ast] });
    return parse(ast.value);
  },
});

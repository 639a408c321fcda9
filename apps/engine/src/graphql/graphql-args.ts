import type { ZodType } from 'zod';
import { validateObject } from '@verdict/domain';
import { ProblemException } from '../http/problem.exception';

/** GraphQL gives an explicit null for an omitted nullable argument's field; validation treats both as absent. */
function withoutNulls(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || value instanceof Date || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}

/**
 * Arguments checked beyond their GraphQL types (lengths, ranges, patterns) with the REST API's own schemas: an
 * `invalid-query` error whose `errors[].path` points into the arguments (e.g. `/filter/modelVersion`).
 */
export function validArgs<T>(schema: ZodType<T>, args: Record<string, unknown>): T {
  const result = validateObject(schema, withoutNulls(args));
  if (!result.ok) throw new ProblemException('invalid-query', `The query has ${result.errors.length} invalid argument(s).`, { errors: result.errors });
  return result.value;
}

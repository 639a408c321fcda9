import type { ZodType } from 'zod';
import { validateObject } from '@verdict/domain';
import { ProblemException } from './problem.exception';

/** A JSON body checked against `schema`; 400 validation-failed with JSON Pointer paths otherwise. */
export function validBody<T>(schema: ZodType<T>, body: unknown): T {
  const result = validateObject(schema, body);
  if (!result.ok) {
    throw new ProblemException('validation-failed', `The request has ${result.errors.length} invalid field(s).`, { errors: result.errors });
  }
  return result.value;
}

import type { ZodError, ZodType } from 'zod';
import { decisionRequestSchema, type DecisionRequest } from './decision-request';

/** One problem with one field; `path` is a JSON Pointer (RFC 6901) into the request body, "" for the body itself. */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

export type ValidationResult<T = DecisionRequest> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

/** A JSON Pointer (RFC 6901) to `path`: "/a/0/b", with `~` and `/` in keys escaped. */
export const jsonPointer = (path: readonly PropertyKey[]): string =>
  path.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cur = input;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/** zod issues as field errors; `input` is what was validated, to tell a missing field from a wrong one. */
export function toFieldErrors(error: ZodError, input: unknown): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: jsonPointer([...issue.path, key]), message: 'is not an allowed field' });
    } else if (issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined) {
      out.push({ path: jsonPointer(issue.path), message: 'is required' });
    } else {
      out.push({ path: jsonPointer(issue.path), message: issue.message });
    }
  }
  return out;
}

/**
 * Validates a JSON object body against `schema`; errors carry JSON Pointers, prefixed with `pointerPrefix` when the
 * object sits inside something larger (e.g. "/manifest" for a manifest part of a multipart upload).
 */
export function validateObject<T>(schema: ZodType<T>, body: unknown, pointerPrefix = ''): ValidationResult<T> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, errors: [{ path: pointerPrefix, message: 'must be a JSON object' }] };
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, errors: toFieldErrors(parsed.error, body).map((e) => ({ ...e, path: pointerPrefix + e.path })) };
}

export function validateDecisionRequest(body: unknown): ValidationResult {
  return validateObject(decisionRequestSchema, body);
}

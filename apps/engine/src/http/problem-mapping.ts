import { HttpException } from '@nestjs/common';
import { isEventStoreUnavailable, EventStoreError } from '@verdict/event-store';
import { InvalidCursorError, InvalidDecisionFilterError } from '@verdict/read-models';
import { ProblemException } from './problem.exception';
import { IdempotencyConflictError } from '../decisions/idempotency-conflict.error';
import { problem, type ProblemDocument } from './problem-types';

/** Fastify's own error codes for body handling, mapped to our problem types. */
const FASTIFY_CODES: Record<string, (e: Error) => ProblemDocument> = {
  FST_ERR_CTP_BODY_TOO_LARGE: () => problem('payload-too-large', 'The body exceeds the 64 KiB limit.'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: (e) => problem('unsupported-media-type', `${e.message}. Use application/json.`),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: (e) => problem('malformed-json', e.message),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => problem('malformed-json', 'The body is empty; a JSON object is required.'),
  FST_ERR_CTP_INVALID_JSON_BODY: (e) => problem('malformed-json', e.message),
};

/** Turns any error into a problem document; `internal` tells the caller to log it. */
export function toProblem(error: unknown): { doc: ProblemDocument; internal: boolean } {
  if (error instanceof ProblemException) return { doc: error.document, internal: false };
  if (error instanceof IdempotencyConflictError) {
    return {
      doc: problem('idempotency-conflict', error.message, { transactionId: error.transactionId, decisionId: error.decisionId }),
      internal: false,
    };
  }
  if (error instanceof InvalidCursorError) {
    return { doc: problem('invalid-query', error.message, { errors: [{ path: '/cursor', message: 'is not a cursor this API returned' }] }), internal: false };
  }
  if (error instanceof InvalidDecisionFilterError) {
    return { doc: problem('invalid-query', error.message, { errors: [{ path: `/${error.field}`, message: error.message }] }), internal: false };
  }
  if (isEventStoreUnavailable(error)) {
    return { doc: problem('event-store-unavailable', 'The decision was not recorded: the event store is unavailable. Retry the same request.'), internal: false };
  }
  if (error instanceof EventStoreError) {
    return { doc: problem('event-store-unavailable', `The decision was not recorded: ${error.message}`), internal: true };
  }
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && FASTIFY_CODES[code]) return { doc: FASTIFY_CODES[code](error as Error), internal: false };
  if (error instanceof SyntaxError || code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return { doc: problem('malformed-json', (error as Error).message), internal: false };
  }
  const statusCode = (error as { statusCode?: unknown })?.statusCode;
  if (error instanceof HttpException || typeof statusCode === 'number') {
    const status = error instanceof HttpException ? error.getStatus() : (statusCode as number);
    // Our own 400s are ProblemExceptions; any other 400 comes from Fastify's body parsing, before any handler ran.
    if (status === 400) return { doc: problem('malformed-json', (error as Error).message), internal: false };
    if (status === 404) return { doc: problem('not-found', (error as Error).message), internal: false };
    if (status === 405) return { doc: problem('method-not-allowed', (error as Error).message), internal: false };
    if (status === 413) return { doc: problem('payload-too-large', 'The body exceeds the 64 KiB limit.'), internal: false };
    if (status === 415) return { doc: problem('unsupported-media-type', (error as Error).message), internal: false };
    if (status >= 400 && status < 500) {
      return { doc: { type: 'about:blank', title: (error as Error).message, status, detail: (error as Error).message }, internal: false };
    }
  }
  return { doc: problem('internal-error', 'An unexpected error occurred.'), internal: true };
}

import { HttpException } from '@nestjs/common';
import { isAppendOutcomeUnknown, isEventStoreUnavailable } from '@verdict/event-store';
import { InferenceInputError, isModelLoadError } from '@verdict/model-runtime';
import { ProblemException } from '../http/problem.exception';

/** An Open Inference Protocol error: the protocol's `{ "error": "…" }` body with a 4xx/5xx status. */
export class OipError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'OipError';
  }
}

/**
 * /v2 speaks the Open Inference Protocol's error shape, not problem+json: KServe, Triton and MLServer clients parse
 * `{ "error": string }`. The global filter renders every error on a /v2 path with this, Fastify's own errors
 * (malformed JSON, body too large, wrong content type) included, with their status.
 */
export function oipError(error: unknown): { status: number; message: string; internal: boolean } {
  if (error instanceof OipError) return { status: error.status, message: error.message, internal: false };
  // Access control (401, 403, 429, request timeout) speaks the protocol's shape here too.
  if (error instanceof ProblemException) return { status: error.document.status, message: error.document.detail, internal: false };
  if (error instanceof InferenceInputError) return { status: 400, message: error.message, internal: false };
  if (isModelLoadError(error)) return { status: 400, message: error.message, internal: false };
  if (isAppendOutcomeUnknown(error)) {
    return { status: 503, message: 'The event store was lost while recording the inference: it may or may not have been recorded. Retrying is safe.', internal: true };
  }
  if (isEventStoreUnavailable(error)) {
    return { status: 503, message: 'The inference was not recorded: the event store is unavailable. Retry the same request.', internal: false };
  }
  const statusCode = (error as { statusCode?: unknown })?.statusCode;
  const status = error instanceof HttpException ? error.getStatus() : typeof statusCode === 'number' ? statusCode : 500;
  if (status >= 400 && status < 500) return { status, message: (error as Error).message, internal: false };
  return { status: 500, message: 'An unexpected error occurred.', internal: true };
}

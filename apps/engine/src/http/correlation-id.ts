import type { FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { SAFE_ID } from '@verdict/domain';

export const CORRELATION_HEADER = 'x-correlation-id';

const RECORDED_UNDER = Symbol('verdict.recordedCorrelationId');

/** The caller's X-Correlation-Id when it is a safe id. */
export function callerCorrelationId(req: FastifyRequest): string | undefined {
  const header = req.headers[CORRELATION_HEADER];
  return typeof header === 'string' && SAFE_ID.test(header) ? header : undefined;
}

/**
 * The id the request's command is recorded under: the caller's safe one, else a new one. Kept on the request for an
 * error answer that may follow the recording (commandCorrelationId).
 */
export function recordedCorrelationId(req: FastifyRequest, callerId: string | undefined): string {
  const id = callerId ?? randomUUID();
  (req as unknown as Record<symbol, string>)[RECORDED_UNDER] = id;
  return id;
}

/** The id the request's command went to be recorded under, once it did: undefined before, and for reads. */
export function commandCorrelationId(req: FastifyRequest): string | undefined {
  return (req as unknown as Record<symbol, string | undefined>)[RECORDED_UNDER];
}

import type { FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { SAFE_ID } from '@verdict/domain';

export const CORRELATION_HEADER = 'x-correlation-id';

/** The caller's X-Correlation-Id when it is a safe id. */
export function callerCorrelationId(req: FastifyRequest): string | undefined {
  const header = req.headers[CORRELATION_HEADER];
  return typeof header === 'string' && SAFE_ID.test(header) ? header : undefined;
}

/** The id a command is recorded under: the caller's safe one, else a new one. */
export function recordedCorrelationId(callerId: string | undefined): string {
  return callerId ?? randomUUID();
}

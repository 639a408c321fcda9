import type { FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';

export const CORRELATION_HEADER = 'x-correlation-id';
/** What a caller's id may be: it goes into events' metadata, logs and headers as it is. */
const SAFE_CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's X-Correlation-Id when it is a safe id. */
export function callerCorrelationId(req: FastifyRequest): string | undefined {
  const header = req.headers[CORRELATION_HEADER];
  return typeof header === 'string' && SAFE_CORRELATION_ID.test(header) ? header : undefined;
}

/** The id a command is recorded under: the caller's when it is safe, else a new one. */
export function correlationOf(req: FastifyRequest): string {
  return callerCorrelationId(req) ?? randomUUID();
}

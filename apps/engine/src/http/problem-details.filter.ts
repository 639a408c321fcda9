import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { toGraphqlError } from '../graphql/graphql-errors';
import { oipError } from '../inference/oip-errors';
import { CORRELATION_HEADER, callerCorrelationId, commandCorrelationId } from './correlation-id';
import { toProblem } from './problem-mapping';
import { PROBLEM_CONTENT_TYPE, type ProblemCode } from './problem-types';

/** Renders every error that reaches Nest as RFC 9457 problem+json (in a GraphQL resolver: the same problem as a GraphQL error). */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(private readonly log: Logger) {}

  catch(error: unknown, host: ArgumentsHost): unknown {
    if (host.getType<string>() === 'graphql') return toGraphqlError(this.log, error);
    const http = host.switchToHttp();
    sendProblem(this.log, error, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }
}

/** Answers that say the command may have been recorded: they name the id it would be recorded under. */
const MAYBE_RECORDED = new Set((['append-outcome-unknown', 'request-timeout'] satisfies ProblemCode[]).map((code) => `/problems/${code}`));

export function sendProblem(log: Logger, error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const path = request.url.split('?', 1)[0] as string;
  if (path === '/v2' || path.startsWith('/v2/')) {
    correlate(callerCorrelationId(request), reply);
    return sendOipError(log, error, request, reply);
  }
  const { doc, internal } = toProblem(error, request.routeOptions?.bodyLimit);
  // A refused request records nothing, so no id is made up for it: the caller's own comes back, for its logs. One
  // that may have been recorded names the id it would be recorded under (the caller's, or one made up for it).
  const correlationId = (MAYBE_RECORDED.has(doc.type) ? commandCorrelationId(request) : undefined) ?? callerCorrelationId(request);
  correlate(correlationId, reply);
  const body = { ...doc, instance: `${request.url}#${request.id}` };
  if (internal) log.error({ err: error, reqId: request.id, url: request.url, correlationId }, 'request failed');
  if (reply.sent) return;
  retryAfter(doc.status, reply);
  const send = () => void reply.status(doc.status).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
  // A body refused as too large before it was read is still on its way: answering and closing now would reset the
  // connection under the client's upload (EPIPE instead of the 413). Read it away first, within bounds.
  if (doc.status === 413 && !request.raw.complete) drainThen(request.raw, send);
  else send();
}

function correlate(correlationId: string | undefined, reply: FastifyReply): void {
  if (correlationId !== undefined && !reply.sent) void reply.header(CORRELATION_HEADER, correlationId);
}

/** The Open Inference Protocol's error shape for /v2 (see oip-errors.ts). */
function sendOipError(log: Logger, error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const { status, message, internal } = oipError(error);
  if (internal) log.error({ err: error, reqId: request.id, url: request.url }, 'inference request failed');
  if (reply.sent) return;
  retryAfter(status, reply);
  void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify({ error: message }));
}

/** Every 503 is retryable (see each problem type's description): say when, so clients back off instead of hammering. */
export function retryAfter(status: number, reply: FastifyReply): void {
  if (status === 503) void reply.header('retry-after', '1');
}

/** Bytes and time a refused upload may take to be read away before the connection is cut anyway. */
const DRAIN_MAX_BYTES = 64 * 1024 * 1024;
const DRAIN_MAX_MS = 10_000;

function drainThen(raw: IncomingMessage, then: () => void): void {
  let read = 0;
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    raw.off('data', onData);
    then();
  };
  const onData = (chunk: Buffer) => {
    read += chunk.length;
    if (read > DRAIN_MAX_BYTES) finish();
  };
  const timer = setTimeout(finish, DRAIN_MAX_MS);
  raw.on('data', onData);
  raw.once('end', finish);
  raw.once('close', finish);
  raw.once('error', finish);
  raw.resume();
}

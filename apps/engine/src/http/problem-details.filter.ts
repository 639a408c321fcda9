import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { toProblem } from './problem-mapping';
import { PROBLEM_CONTENT_TYPE } from './problem-types';

/** Renders every error that reaches Nest as RFC 9457 problem+json. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(private readonly log: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(this.log, error, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }
}

export function sendProblem(log: Logger, error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const { doc, internal } = toProblem(error);
  const body = { ...doc, instance: `${request.url}#${request.id}` };
  if (internal) log.error({ err: error, reqId: request.id, url: request.url }, 'request failed');
  if (reply.sent) return;
  void reply.status(doc.status).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}

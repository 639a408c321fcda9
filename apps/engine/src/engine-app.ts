import 'reflect-metadata';
import type { Provider } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import rateLimit from '@fastify/rate-limit';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { DECISION_BATCH_MAX_BYTES, DECISION_REQUEST_MAX_BYTES, LABEL_BATCH_MAX_BYTES } from '@verdict/domain';
import { createLogger, type VerdictConfig } from '@verdict/config';
import { installAccessControl } from './access/access-control';
import { Authenticator } from './access/authenticator';
import { KeyDirectory } from './access/key-directory';
import { RouteAccessCatalog } from './access/route-access-catalog';
import { installRequestTimeout } from './access/request-timeout';
import { EngineModule } from './engine.module';
import { GRAPHQL_PATH } from './graphql/graphql.options';
import { ProblemException } from './http/problem.exception';
import { ProblemDetailsFilter, sendProblem } from './http/problem-details.filter';
import { installJsonBodyParser } from './http/json-body-parser';
import { installMultipart, MULTIPART_ROUTE } from './http/multipart-body';
import { clientErrorHandler, installProtocolHygiene } from './http/protocol-hygiene';

export interface EngineApp {
  readonly app: NestFastifyApplication;
  readonly logger: Logger;
}

export const REQUEST_RECEIVE_TIMEOUT_MS = 300_000;

/** The timeout of the requests that read the whole log (audit verification), whatever VERDICT_REQUEST_TIMEOUT_MS says. */
export const LONG_REQUEST_TIMEOUT_MS = 30 * 60_000;

/** Longest path parameter routed, as sent: a transaction id (up to 128 characters) percent-encoded, 3 bytes each. */
export const PATH_PARAM_MAX_LENGTH = 3 * 128;

/** JSON bodies of raw inference (tensors) may be larger than a decision's. */
export const INFERENCE_BODY_MAX_BYTES = 8 * 1024 * 1024;

/**
 * Builds the engine (not yet listening). Fastify does the body handling: 64 KiB limit (8 MiB for /v2 inference and for decision and label batches),
 * JSON only (text/plain is removed so anything but application/json is a 415; the bytes must be UTF-8:
 * json-body-parser.ts), and multipart for model uploads only, a 415 elsewhere
 * (streamed by @fastify/multipart, limited by VERDICT_MODEL_MAX_BYTES: multipart-body.ts). Nest routes Fastify's errors (and unknown
 * routes) through the same global filter, so they are problem+json like ours; so are a compressed body and what Node's
 * HTTP parser refuses (protocol-hygiene.ts).
 */
export async function createEngineApp(
  config: VerdictConfig,
  logger = createLogger(config.logLevel, 'verdict-engine'),
  overrides: readonly Provider[] = [],
): Promise<EngineApp> {
  const adapter = new FastifyAdapter({
    bodyLimit: DECISION_REQUEST_MAX_BYTES,
    logger: false,
    return503OnClosing: true,
    clientErrorHandler,
    // The router's refusals (a path that is not valid percent-encoding, a parameter over maxParamLength) keep the
    // problem+json contract too, instead of Fastify's own JSON.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => sendProblem(logger, error, request, reply),
    routerOptions: { maxParamLength: PATH_PARAM_MAX_LENGTH },
    // Node's bound on receiving a whole request (headers and body: a model upload may be large); answering it is
    // bounded by VERDICT_REQUEST_TIMEOUT_MS (request-timeout.ts).
    requestTimeout: REQUEST_RECEIVE_TIMEOUT_MS,
  });
  const fastify = adapter.getInstance();
  fastify.removeContentTypeParser('text/plain');
  installJsonBodyParser(fastify);
  installProtocolHygiene(fastify);
  fastify.addHook('onRoute', (route) => {
    if (route.url.startsWith('/v2/')) route.bodyLimit = INFERENCE_BODY_MAX_BYTES;
    if (route.url === '/v1/labels/batch') route.bodyLimit = LABEL_BATCH_MAX_BYTES;
    if (route.url === '/v1/decisions/batch') route.bodyLimit = DECISION_BATCH_MAX_BYTES;
    // Verifying the whole log runs at about 50,000 events/s: a large store needs longer than any other request.
    if (route.url === '/v1/audit/verifications') route.config = { ...route.config, timeoutMs: LONG_REQUEST_TIMEOUT_MS } as typeof route.config;
    // A model upload streams its body in the handler: its timeout covers receiving up to VERDICT_MODEL_MAX_BYTES too.
    if (route.url === MULTIPART_ROUTE.url && route.method === MULTIPART_ROUTE.method) route.config = { ...route.config, timeoutMs: REQUEST_RECEIVE_TIMEOUT_MS + LONG_REQUEST_TIMEOUT_MS } as typeof route.config;
  });

  const app = await NestFactory.create<NestFastifyApplication>(EngineModule.forRoot(config, logger, overrides), adapter, {
    logger: ['error', 'warn'],
    bodyParser: false, // Fastify's own JSON parser only: no urlencoded bodies, one set of parse errors
    abortOnError: false,
  });
  await installMultipart(app, fastify, config.models.maxBytes);
  installRequestTimeout(fastify, config.security.requestTimeoutMs, logger);
  installAccessControl(fastify, { authenticator: app.get(Authenticator), metricsPublic: config.security.metricsPublic, graphqlPath: GRAPHQL_PATH, catalog: app.get(RouteAccessCatalog) });
  if (config.security.rateLimitPerSecond > 0) {
    const keys = app.get(KeyDirectory);
    // After authentication (preParsing runs after onRequest): the limit is per key, and a refused request is not parsed.
    await app.register(rateLimit, {
      hook: 'preParsing',
      timeWindow: 1_000,
      keyGenerator: (request) => request.principal?.keyId ?? `ip:${request.ip}`,
      max: (request) => (request.principal ? keys.rateLimitOf(request.principal.keyId) : null) ?? config.security.rateLimitPerSecond,
      allowList: (request) => request.routeOptions.url === '/health/live' || request.routeOptions.url === '/health/ready',
      errorResponseBuilder: (_request, context) => new ProblemException('rate-limited', `At most ${context.max} requests per second for this key; retry after ${context.after}.`),
    });
  }
  app.useGlobalFilters(new ProblemDetailsFilter(logger));
  return { app, logger };
}

import multipart from '@fastify/multipart';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ProblemException } from './problem.exception';

/** The one route that reads `multipart/form-data`: a model registration (model-upload.ts). */
export const MULTIPART_ROUTE = { method: 'POST', url: '/v1/models/:name/versions/:version' } as const;

type MultipartParser = (request: FastifyRequest, payload: unknown, done: (error: Error | null, body?: unknown) => void) => void;

/**
 * Registers @fastify/multipart for the model upload only. Its body parser is server-wide, and it hands the route no
 * body (the parts are streamed by the handler): on a JSON route a multipart body was read as none at all, a 400 for a
 * decision and a claim with its ttlSeconds silently dropped. There it is a 415, like any other type the route does not
 * read. Decided in the parser, which only multipart bodies reach: a JSON request pays nothing for it.
 */
export async function installMultipart(app: NestFastifyApplication, fastify: FastifyInstance, modelMaxBytes: number): Promise<void> {
  // The plugin's parser (it marks the request as multipart for request.parts()) is not public: keep it as it is added.
  let pluginParser: MultipartParser | undefined;
  const add = fastify.addContentTypeParser;
  fastify.addContentTypeParser = function (this: FastifyInstance, ...args: unknown[]) {
    if (args[0] === 'multipart/form-data') pluginParser = args[args.length - 1] as MultipartParser;
    return (add as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof add;
  try {
    await app.register(multipart, { limits: { fileSize: modelMaxBytes } });
  } finally {
    fastify.addContentTypeParser = add;
  }
  if (!pluginParser) throw new Error('@fastify/multipart registered no multipart/form-data parser');
  const parser = pluginParser;
  fastify.removeContentTypeParser('multipart/form-data');
  fastify.addContentTypeParser('multipart/form-data', (request, payload, done) => {
    if (request.method === MULTIPART_ROUTE.method && request.routeOptions.url === MULTIPART_ROUTE.url) return parser(request, payload, done);
    done(new ProblemException('unsupported-media-type', 'This route reads `Content-Type: application/json`, not multipart/form-data (only a model registration takes multipart). Nothing was recorded.'), undefined);
  });
}

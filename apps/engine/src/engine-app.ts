import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { DECISION_REQUEST_MAX_BYTES } from '@verdict/domain';
import type { VerdictConfig } from '@verdict/config';
import { EngineModule } from './engine.module';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { createLogger } from './infrastructure/logger';

export interface EngineApp {
  readonly app: NestFastifyApplication;
  readonly logger: Logger;
}

/**
 * Builds the engine (not yet listening). Fastify does the body handling: 64 KiB limit, JSON only (text/plain is
 * removed so anything but application/json is a 415). Nest routes Fastify's errors (and unknown routes) through
 * the same global filter, so they are problem+json like ours.
 */
export async function createEngineApp(config: VerdictConfig, logger = createLogger(config.logLevel, 'verdict-engine')): Promise<EngineApp> {
  const adapter = new FastifyAdapter({ bodyLimit: DECISION_REQUEST_MAX_BYTES, logger: false, return503OnClosing: true });
  const fastify = adapter.getInstance();
  fastify.removeContentTypeParser('text/plain');

  const app = await NestFactory.create<NestFastifyApplication>(EngineModule.forRoot(config, logger), adapter, {
    logger: ['error', 'warn'],
    bodyParser: false, // Fastify's own JSON parser only: no urlencoded bodies, one set of parse errors
    abortOnError: false,
  });
  app.useGlobalFilters(new ProblemDetailsFilter(logger));
  return { app, logger };
}

import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { VerdictConfig } from '@verdict/config';
import type { Logger } from 'pino';
import { PinoNestLogger } from './pino-nest-logger';
import { ProjectionSupervisor } from './projection-supervisor';
import { ProjectorModule } from './projector.module';

/** The projector as a Nest application context (no HTTP): projections start during init. */
export async function createProjectorApp(
  config: VerdictConfig,
  logger: Logger,
): Promise<{ app: INestApplicationContext; supervisor: ProjectionSupervisor }> {
  const app = await NestFactory.createApplicationContext(ProjectorModule.forRoot(config, logger), {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
  });
  return { app, supervisor: app.get(ProjectionSupervisor) };
}

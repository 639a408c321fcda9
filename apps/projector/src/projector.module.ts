import { Module, type DynamicModule } from '@nestjs/common';
import type { VerdictConfig } from '@verdict/config';
import { createEventStore } from '@verdict/event-store';
import { createReadModelDataSource, defaultProjections } from '@verdict/read-models';
import type { Logger } from 'pino';
import { ProjectionSupervisor } from './projection-supervisor';
import { ProjectorHttp } from './projector-http';
import { EVENT_STORE, LOGGER, PROJECTIONS, READ_MODEL_DATA_SOURCE, VERDICT_CONFIG } from './projector.tokens';

/** Wiring only: the configured stores, the projections, the supervisor that runs them, and its health and metrics. */
@Module({})
export class ProjectorModule {
  static forRoot(config: VerdictConfig, logger: Logger): DynamicModule {
    return {
      module: ProjectorModule,
      providers: [
        { provide: VERDICT_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: EVENT_STORE, useFactory: () => createEventStore(config.eventStore) },
        { provide: READ_MODEL_DATA_SOURCE, useFactory: () => createReadModelDataSource(config.readModels) },
        { provide: PROJECTIONS, useFactory: () => defaultProjections({ driftWindowSeconds: config.drift.windowSeconds }) },
        ProjectionSupervisor,
        ProjectorHttp,
      ],
      exports: [ProjectionSupervisor, ProjectorHttp, EVENT_STORE, READ_MODEL_DATA_SOURCE],
    };
  }
}

import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { Logger } from 'pino';
import type { VerdictConfig } from '@verdict/config';
import { definePolicy, resolveFeatures } from '@verdict/domain';
import { createEventStore } from '@verdict/event-store';
import { OnnxModelRuntime } from '@verdict/model-runtime';
import { createReadModelDataSource, DecisionQueries } from '@verdict/read-models';
import type { DataSource } from 'typeorm';
import { DecisionScorer } from './decisions/decision-scorer';
import { DecisionsController } from './decisions/decisions.controller';
import { GetDecisionHandler, GetTransactionDecisionHandler, ListDecisionsHandler } from './decisions/decision-query.handlers';
import { MakeDecisionHandler } from './decisions/make-decision.handler';
import { HealthController } from './health/health.controller';
import { Readiness } from './health/readiness';
import { OpenApiController } from './http/openapi.controller';
import { ProblemTypesController } from './http/problem-types.controller';
import { ResourceLifecycle } from './infrastructure/resource-lifecycle';
import {
  ACTIVE_POLICY,
  DECISION_QUERIES,
  EVENT_STORE,
  LOGGER,
  MODEL_RUNTIME,
  PROJECTION_RUNNER,
  READ_MODEL_DATA_SOURCE,
  VERDICT_CONFIG,
} from './infrastructure/tokens';
import { DecisionMetrics } from './metrics/decision-metrics';
import { LogPositionMetrics } from './metrics/log-position.metrics';
import { MetricsController } from './metrics/metrics.controller';
import { InlineProjections } from './projections/inline-projections';

/** Wires ports to the adapters the configuration names. No logic lives here. */
@Module({})
export class EngineModule {
  static forRoot(config: VerdictConfig, logger: Logger): DynamicModule {
    const providers: Provider[] = [
      { provide: VERDICT_CONFIG, useValue: config },
      { provide: LOGGER, useValue: logger },
      { provide: ACTIVE_POLICY, useValue: definePolicy(config.policy) },
      { provide: EVENT_STORE, useFactory: () => createEventStore(config.eventStore) },
      {
        provide: MODEL_RUNTIME,
        useFactory: async () => {
          const runtime = await OnnxModelRuntime.load({
            path: config.model.path,
            name: config.model.name,
            version: config.model.version,
            features: config.model.features ? [...config.model.features] : undefined,
            baseline: config.model.baseline ? [...config.model.baseline] : undefined,
          });
          resolveFeatures(runtime.descriptor.features); // fail at startup, not on the first request
          return runtime;
        },
      },
      { provide: READ_MODEL_DATA_SOURCE, useFactory: () => createReadModelDataSource(config.readModels) },
      { provide: DECISION_QUERIES, useFactory: (ds: DataSource) => new DecisionQueries(ds), inject: [READ_MODEL_DATA_SOURCE] },
      InlineProjections,
      { provide: PROJECTION_RUNNER, useExisting: InlineProjections },
      ResourceLifecycle,
      DecisionMetrics,
      LogPositionMetrics,
      DecisionScorer,
      MakeDecisionHandler,
      GetDecisionHandler,
      GetTransactionDecisionHandler,
      ListDecisionsHandler,
      Readiness,
    ];
    return {
      module: EngineModule,
      imports: [CqrsModule.forRoot()],
      controllers: [DecisionsController, HealthController, MetricsController, ProblemTypesController, OpenApiController],
      providers,
    };
  }
}

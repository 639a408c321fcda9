import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { Logger } from 'pino';
import type { VerdictConfig } from '@verdict/config';
import { createArtifactStore, type ArtifactStore } from '@verdict/artifact-store';
import { createEventStore, type EventStore } from '@verdict/event-store';
import { AccessController } from './access/access.controller';
import { accessWiring } from './access/access.providers';
import { ErasureController } from './privacy/erasure.controller';
import { PersonalData } from './privacy/personal-data';
import { RevealingDecisionQueries, RevealingDecisionRanges, RevealingReviewQueue } from './privacy/revealing-queries';
import { SubjectErasure } from './privacy/subject-erasure';
import { stampCallers } from './access/caller-stamping-store';
import { KeysController } from './access/keys.controller';
import { AuditController } from './audit/audit.controller';
import { auditProviders } from './audit/audit.providers';
import { AlertQueries, createReadModelDataSource, DecisionRangeQueries, DeploymentHistoryQueries, DriftQueries, ModelListQueries, ModelPerformanceQueries } from '@verdict/read-models';
import type { DataSource } from 'typeorm';
import { DecisionContextController } from './context/decision-context.controller';
import { DecisionContextReader } from './context/decision-context';
import { DecisionLocator } from './decisions/decision-locator';
import { DecisionCoalescer } from './decisions/decision-coalescer';
import { DecisionRecorder } from './decisions/decision-recorder';
import { DecisionScorer } from './decisions/decision-scorer';
import { DecisionsController } from './decisions/decisions.controller';
import { GetDecisionHandler, GetTransactionDecisionHandler, ListDecisionsHandler } from './decisions/decision-query.handlers';
import { DecideBatchHandler } from './decisions/decide-batch.handler';
import { MakeDecisionHandler } from './decisions/make-decision.handler';
import { RecentDecisions } from './decisions/recent-decisions';
import { CanaryAnalyst } from './deployment/canary-analyst';
import { DeploymentAt } from './deployment/deployment-at';
import { DeploymentBootstrap } from './deployment/deployment-bootstrap';
import { DeploymentChanges } from './deployment/deployment-changes';
import { DeploymentController } from './deployment/deployment.controller';
import { DeploymentFollower } from './deployment/deployment-follower';
import { DeploymentRuntime } from './deployment/deployment-runtime';
import { DeploymentStartup } from './deployment/deployment-startup';
import { HotPathWarmup } from './decisions/hot-path-warmup';
import { ModelLoader } from './deployment/model-loader';
import { DecisionExporter } from './exports/decision-export';
import { ExportsController } from './exports/exports.controller';
import { graphqlModule } from './graphql/graphql.options';
import { graphqlProviders } from './graphql/graphql.providers';
import { HealthController } from './health/health.controller';
import { InferenceService } from './inference/inference-service';
import { OipController } from './inference/oip.controller';
import { RawSessions } from './inference/raw-sessions';
import { Readiness } from './health/readiness';
import { Liveness } from './health/liveness';
import { OpenApiController } from './http/openapi.controller';
import { ProblemTypesController } from './http/problem-types.controller';
import { ResourceLifecycle } from './infrastructure/resource-lifecycle';
import {
  ARTIFACT_STORE,
  DECISION_QUERIES,
  DECISION_RANGES,
  REVIEW_QUEUE,
  MODEL_PERFORMANCE,
  ALERTS,
  DEPLOYMENT_HISTORY,
  EVENT_STORE,
  LOGGER,
  MODEL_LIST,
  PROJECTION_RUNNER,
  READ_MODEL_DATA_SOURCE,
  VERDICT_CONFIG,
} from './infrastructure/tokens';
import { DecisionMetrics } from './metrics/decision-metrics';
import { LogPositionMetrics } from './metrics/log-position.metrics';
import { CommitMetrics } from './metrics/commit.metrics';
import { ComponentMetrics } from './metrics/component.metrics';
import { MetricsController } from './metrics/metrics.controller';
import { DriftMetrics } from './metrics/drift.metrics';
import { DriftController } from './monitoring/drift.controller';
import { DriftMonitor } from './monitoring/drift-monitor';
import { DriftWindows } from './monitoring/drift-windows';
import { DriftReport } from './monitoring/drift-report';
import { ModelCatalog } from './models/model-catalog';
import { ModelRegistration } from './models/model-registration';
import { ModelRetirement } from './models/model-retirement';
import { ModelsController } from './models/models.controller';
import { LabelBatch } from './labels/label-batch';
import { LabelRecorder } from './labels/label-recorder';
import { LabelsController } from './labels/labels.controller';
import { InlineProjections } from './projections/inline-projections';
import { HistoryFeed } from './history/history-feed';
import { HttpDrain } from './infrastructure/http-drain';
import { ListeningSockets } from './http/listening-sockets';
import { AlertWebhook } from './monitoring/alert-webhook';
import { AlertsController } from './monitoring/alerts.controller';
import { ModelPerformanceReport } from './monitoring/model-performance-report';
import { PerformanceMonitor } from './monitoring/performance-monitor';
import { PerformanceController } from './monitoring/performance.controller';
import { ReviewDesk } from './reviews/review-desk';
import { ReviewsController } from './reviews/reviews.controller';
import { ReplayController } from './replay/replay.controller';
import { ReplayService } from './replay/replay-service';

/**
 * Wires ports to the adapters the configuration names. No logic lives here. `overrides` replace providers of the
 * same token (tests: an in-memory seal index).
 */
@Module({})
export class EngineModule {
  static forRoot(config: VerdictConfig, logger: Logger, overrides: readonly Provider[] = []): DynamicModule {
    const access = accessWiring(config, logger);
    const providers: Provider[] = [
      { provide: VERDICT_CONFIG, useValue: config },
      { provide: LOGGER, useValue: logger },
      { provide: EVENT_STORE, useFactory: async () => stampCallers(await createEventStore(config.eventStore)) },
      { provide: ARTIFACT_STORE, useFactory: () => createArtifactStore(config.artifactStore) },
      // After the stores: the key store shares their database, and PostgreSQL schema creation must not race theirs.
      { provide: PersonalData, useFactory: () => PersonalData.open(config, logger), inject: [EVENT_STORE, READ_MODEL_DATA_SOURCE] },
      { provide: SubjectErasure, useFactory: (store: EventStore, personal: PersonalData) => new SubjectErasure(store, personal), inject: [EVENT_STORE, PersonalData] },
      { provide: READ_MODEL_DATA_SOURCE, useFactory: () => createReadModelDataSource(config.readModels) },
      { provide: DECISION_QUERIES, useFactory: (ds: DataSource, p: PersonalData) => new RevealingDecisionQueries(ds, p), inject: [READ_MODEL_DATA_SOURCE, PersonalData] },
      { provide: MODEL_LIST, useFactory: (ds: DataSource) => new ModelListQueries(ds), inject: [READ_MODEL_DATA_SOURCE] },
      { provide: DEPLOYMENT_HISTORY, useFactory: (ds: DataSource) => new DeploymentHistoryQueries(ds), inject: [READ_MODEL_DATA_SOURCE] },
      { provide: DECISION_RANGES, useFactory: (ds: DataSource, p: PersonalData) => new RevealingDecisionRanges(ds, p), inject: [READ_MODEL_DATA_SOURCE, PersonalData] },
      { provide: MODEL_PERFORMANCE, useFactory: (ds: DataSource) => new ModelPerformanceQueries(ds), inject: [READ_MODEL_DATA_SOURCE] },
      { provide: ALERTS, useFactory: (ds: DataSource) => new AlertQueries(ds), inject: [READ_MODEL_DATA_SOURCE] },
      { provide: REVIEW_QUEUE, useFactory: (ds: DataSource, p: PersonalData) => new RevealingReviewQueue(ds, p), inject: [READ_MODEL_DATA_SOURCE, PersonalData] },
      { provide: DriftQueries, useFactory: (ds: DataSource) => new DriftQueries(ds), inject: [READ_MODEL_DATA_SOURCE] },
      { provide: DriftWindows, useFactory: (queries: DriftQueries) => new DriftWindows(queries, config.drift), inject: [DriftQueries] },
      DriftReport,
      DriftMetrics,
      DriftMonitor,
      { provide: ModelCatalog, useFactory: (store: EventStore) => new ModelCatalog(store), inject: [EVENT_STORE] },
      { provide: ModelLoader, useFactory: (artifacts: ArtifactStore, log: Logger) => new ModelLoader(artifacts, (m) => log.warn(m)), inject: [ARTIFACT_STORE, LOGGER] },
      {
        provide: DeploymentRuntime,
        useFactory: (loader: ModelLoader, catalog: ModelCatalog) => new DeploymentRuntime(loader, (m) => catalog.forDeployed(m)),
        inject: [ModelLoader, ModelCatalog],
      },
      {
        provide: DeploymentFollower,
        useFactory: (store: EventStore, runtime: DeploymentRuntime) => new DeploymentFollower(store, runtime, logger),
        inject: [EVENT_STORE, DeploymentRuntime],
      },
      {
        provide: DeploymentChanges,
        useFactory: (store: EventStore, follower: DeploymentFollower, catalog: ModelCatalog, loader: ModelLoader) =>
          new DeploymentChanges(store, follower, catalog, loader),
        inject: [EVENT_STORE, DeploymentFollower, ModelCatalog, ModelLoader],
      },
      {
        provide: ModelRegistration,
        useFactory: (store: EventStore, artifacts: ArtifactStore, catalog: ModelCatalog) => new ModelRegistration(store, artifacts, catalog),
        inject: [EVENT_STORE, ARTIFACT_STORE, ModelCatalog],
      },
      {
        provide: ModelRetirement,
        useFactory: (store: EventStore, catalog: ModelCatalog, follower: DeploymentFollower) => new ModelRetirement(store, catalog, follower),
        inject: [EVENT_STORE, ModelCatalog, DeploymentFollower],
      },
      {
        provide: DeploymentBootstrap,
        useFactory: (registration: ModelRegistration, changes: DeploymentChanges, follower: DeploymentFollower) =>
          new DeploymentBootstrap(config, registration, changes, follower, logger),
        inject: [ModelRegistration, DeploymentChanges, DeploymentFollower],
      },
      {
        provide: CanaryAnalyst,
        useFactory: (store: EventStore, follower: DeploymentFollower, changes: DeploymentChanges) => new CanaryAnalyst(store, follower, changes, logger),
        inject: [EVENT_STORE, DeploymentFollower, DeploymentChanges],
      },
      DeploymentStartup,
      HotPathWarmup,
      { provide: RawSessions, useFactory: (artifacts: ArtifactStore) => new RawSessions(artifacts), inject: [ARTIFACT_STORE] },
      {
        provide: InferenceService,
        useFactory: (store: EventStore, catalog: ModelCatalog, follower: DeploymentFollower, sessions: RawSessions) =>
          new InferenceService(store, catalog, follower, sessions),
        inject: [EVENT_STORE, ModelCatalog, DeploymentFollower, RawSessions],
      },
      {
        provide: ReplayService,
        useFactory: (store: EventStore, ranges: DecisionRangeQueries, personal: PersonalData) =>
          new ReplayService(store, config, ranges, logger, config.replay.threads, (cardId) => personal.filterValue('cardId', cardId)),
        inject: [EVENT_STORE, DECISION_RANGES, PersonalData],
      },
      InlineProjections,
      { provide: PROJECTION_RUNNER, useExisting: InlineProjections },
      HistoryFeed,
      ResourceLifecycle,
      HttpDrain,
      ListeningSockets,
      DecisionMetrics,
      LogPositionMetrics,
      CommitMetrics,
      ComponentMetrics,
      DecisionScorer,
      DecisionRecorder,
      DecisionCoalescer,
      MakeDecisionHandler,
      DecideBatchHandler,
      GetDecisionHandler,
      GetTransactionDecisionHandler,
      ListDecisionsHandler,
      Readiness,
      Liveness,
      { provide: RecentDecisions, useValue: new RecentDecisions() },
      DecisionLocator,
      DeploymentAt,
      DecisionContextReader,
      DecisionExporter,
      LabelRecorder,
      LabelBatch,
      ReviewDesk,
      ModelPerformanceReport,
      PerformanceMonitor,
      AlertWebhook,
      ...auditProviders(config, logger),
      ...access.providers,
      ...graphqlProviders(),
      ...overrides,
    ];
    return {
      module: EngineModule,
      imports: [CqrsModule.forRoot(), graphqlModule(config, access.authenticate)],
      controllers: [
        DecisionsController,
        AuditController,
        AccessController,
        KeysController,
        ErasureController,
        DecisionContextController,
        ExportsController,
        ModelsController,
        DeploymentController,
        OipController,
        ReplayController,
        LabelsController,
        ReviewsController,
        PerformanceController,
        AlertsController,
        HealthController,
        MetricsController,
        DriftController,
        ProblemTypesController,
        OpenApiController,
      ],
      providers,
    };
  }
}

import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { VerdictConfig } from '@verdict/config';
import type { EventStore } from '@verdict/event-store';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ProjectionSupervisor } from './projection-supervisor';
import { projectorMetrics } from './projector-metrics';
import { EVENT_STORE, LOGGER, VERDICT_CONFIG } from './projector.tokens';

/**
 * The projector's own small HTTP surface, for its orchestrator and Prometheus: `/health/live`, `/health/ready` (every
 * projection running and the event store answering; each projection's checkpoint and lag in events either way) and
 * `/metrics`. Plain Fastify: three read-only routes need no Nest router.
 */
@Injectable()
export class ProjectorHttp implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly server: FastifyInstance;
  private readonly registry: Registry;
  private address: { host: string; port: number } | undefined;

  constructor(
    @Inject(VERDICT_CONFIG) private readonly config: VerdictConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly supervisor: ProjectionSupervisor,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.registry = projectorMetrics(supervisor.observed);
    this.server = Fastify({ logger: false });
    this.server.get('/health/live', async () => ({ status: 'ok' }));
    this.server.get('/health/ready', async (_req, reply) => {
      const report = await this.readiness();
      return reply.status(report.status === 'ok' ? 200 : 503).send(report);
    });
    this.server.get('/metrics', async (_req, reply) =>
      reply.header('content-type', this.registry.contentType).send(await this.registry.metrics()),
    );
  }

  /** Where it listens, once it does. */
  get url(): string | undefined {
    return this.address && `http://${this.address.host}:${this.address.port}`;
  }

  async onApplicationBootstrap(): Promise<void> {
    const host = this.config.host;
    await this.server.listen({ host, port: this.config.projections.projectorPort });
    const bound = this.server.server.address();
    this.address = { host, port: typeof bound === 'object' && bound ? bound.port : this.config.projections.projectorPort };
    this.logger.info({ url: this.url }, 'projector serving /health and /metrics');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server.close();
  }

  private async readiness() {
    let storeUp = true;
    let storeError: string | undefined;
    try {
      await this.store.ping();
    } catch (error) {
      storeUp = false;
      storeError = (error as Error).message;
    }
    const projections = await Promise.all(
      this.supervisor.observed.map(async (p) => {
        const s = p.status();
        const lag = storeUp ? await p.lag().catch(() => null) : null;
        return {
          name: s.name,
          version: s.version,
          status: s.running ? 'up' : 'down',
          checkpoint: Number(s.checkpoint),
          lag,
          eventsApplied: s.eventsApplied,
          ...(s.lastAppliedAt ? { lastAppliedAt: s.lastAppliedAt.toISOString() } : {}),
          ...(s.lastError ? { error: s.lastError.message } : {}),
        };
      }),
    );
    const ok = storeUp && projections.every((p) => p.status === 'up');
    return {
      status: ok ? 'ok' : 'error',
      checks: {
        eventStore: { status: storeUp ? 'up' : 'down', kind: this.store.kind, ...(storeError ? { error: storeError } : {}) },
        projections,
      },
    };
  }
}

import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { PROJECTION_LAG_LIMIT, type ProjectionStatus } from '@verdict/read-models';

/** A projection as health and metrics read it: its status, and its lag in events (counted at most once a second). */
export interface ObservedProjection {
  status(): ProjectionStatus;
  lag(): Promise<number>;
}

/**
 * The projector's Prometheus registry, read at scrape time from the runners: per projection its checkpoint, its lag
 * in events, whether it runs, and the events and batches it applied; plus Node's process metrics.
 */
export function projectorMetrics(projections: readonly ObservedProjection[]): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'verdict_projector_' });
  const each = (gauge: Gauge<'projection'>, value: (s: ProjectionStatus) => number) => {
    gauge.reset();
    for (const p of projections) {
      const s = p.status();
      gauge.set({ projection: s.name }, value(s));
    }
  };
  new Gauge({
    name: 'verdict_projection_checkpoint',
    help: 'Last global position the projection applied',
    labelNames: ['projection'] as const,
    registers: [registry],
    collect() {
      each(this, (s) => Number(s.checkpoint));
    },
  });
  new Gauge({
    name: 'verdict_projection_running',
    help: '1 while the projection is subscribed and applying; 0 once it stopped (on an error: see the logs)',
    labelNames: ['projection'] as const,
    registers: [registry],
    collect() {
      each(this, (s) => (s.running ? 1 : 0));
    },
  });
  new Gauge({
    name: 'verdict_projection_events_applied',
    help: 'Events the projection applied since the process started',
    labelNames: ['projection'] as const,
    registers: [registry],
    collect() {
      each(this, (s) => s.eventsApplied);
    },
  });
  new Gauge({
    name: 'verdict_projection_batches_applied',
    help: 'Read-model transactions (batches) the projection committed since the process started',
    labelNames: ['projection'] as const,
    registers: [registry],
    collect() {
      each(this, (s) => s.batchesApplied);
    },
  });
  new Gauge({
    name: 'verdict_projection_lag_events',
    help: `Events of the projection's types after its checkpoint, still to apply (counted up to ${PROJECTION_LAG_LIMIT}, at most once a second; -1 when the store cannot be read)`,
    labelNames: ['projection'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const p of projections) {
        const s = p.status();
        this.set({ projection: s.name }, await p.lag().catch(() => -1));
      }
    },
  });
  return registry;
}

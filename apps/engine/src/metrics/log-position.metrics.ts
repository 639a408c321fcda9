import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import type { EventStore } from '@verdict/event-store';
import { PROJECTION_LAG_LIMIT } from '@verdict/read-models';
import { HistoryFeed } from '../history/history-feed';
import { EVENT_STORE, PROJECTION_RUNNER } from '../infrastructure/tokens';
import type { ProjectionStatusSource } from '../projections/projection-status';
import { DecisionMetrics } from './decision-metrics';

/**
 * Where the log and the read model stand, read at scrape time: the store's head position, the inline projection's
 * checkpoint and its lag in events (alert on lag growing, not on its size at one instant).
 */
@Injectable()
export class LogPositionMetrics {
  constructor(
    metrics: DecisionMetrics,
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(PROJECTION_RUNNER) projections: ProjectionStatusSource,
    history: HistoryFeed,
  ) {
    new Counter({
      name: 'verdict_history_answers_behind_total',
      help: "History feature asks answered before the state had read this instance's last acknowledged commit (it was over a second behind, or could not read the store): those decisions may not count the ones just before them",
      registers: [metrics.registry],
      collect() {
        this.reset();
        this.inc(history.answersBehind);
      },
    });
    new Gauge({
      name: 'verdict_event_store_head_position',
      help: 'Position of the last event in the global log (-1 when the store cannot be read)',
      registers: [metrics.registry],
      async collect() {
        try {
          this.set(Number(await store.headPosition()));
        } catch {
          this.set(-1); // the scrape itself must not fail; readiness reports the error
        }
      },
    });
    new Gauge({
      name: 'verdict_projection_checkpoint',
      help: 'Last global position applied to the read models by the projection in this process',
      labelNames: ['mode'] as const,
      registers: [metrics.registry],
      collect() {
        const s = projections.projectionStatus();
        this.reset();
        this.set({ mode: s.mode }, Number(s.checkpoint));
      },
    });
    new Gauge({
      name: 'verdict_projection_lag_events',
      help: `Events the projection in this process has still to apply (counted on its thread up to ${PROJECTION_LAG_LIMIT}, at most once a second; 0 when projections run elsewhere, -1 when it cannot be counted: the store cannot be read, or the thread is down)`,
      registers: [metrics.registry],
      async collect() {
        const s = projections.projectionStatus();
        if (s.mode === 'off') return this.set(0);
        try {
          this.set(await projections.projectionLag());
        } catch {
          this.set(-1);
        }
      },
    });
  }
}

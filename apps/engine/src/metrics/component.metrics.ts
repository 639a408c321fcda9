import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import type { ComponentState } from '@verdict/config';
import { Liveness } from '../health/liveness';
import { DecisionMetrics } from './decision-metrics';

const STATES: readonly ComponentState[] = ['starting', 'up', 'restarting', 'failed', 'stopped'];

/**
 * The supervised components (docs: Operating it), read at scrape time from their supervisors: how often each was
 * restarted, and the state it is in. Alert on restarts increasing and on any component in `failed`.
 */
@Injectable()
export class ComponentMetrics {
  constructor(metrics: DecisionMetrics, liveness: Liveness) {
    new Counter({
      name: 'verdict_component_restarts_total',
      help: 'Restarts that brought a supervised component (thread) back after it died',
      labelNames: ['component'] as const,
      registers: [metrics.registry],
      collect() {
        // The supervisors count; the counter mirrors them (they only grow, so it stays a counter).
        this.reset();
        for (const c of liveness.components()) this.inc({ component: c.component }, c.restarts);
      },
    });
    new Gauge({
      name: 'verdict_component_state',
      help: 'State of each supervised component: 1 for the state it is in (starting, up, restarting, failed, stopped), 0 for the others',
      labelNames: ['component', 'state'] as const,
      registers: [metrics.registry],
      collect() {
        this.reset();
        for (const c of liveness.components()) for (const state of STATES) this.set({ component: c.component, state }, c.state === state ? 1 : 0);
      },
    });
  }
}

import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DecisionMadeV1 } from '@verdict/domain';

/** Prometheus metrics for the decision path; scraped at GET /metrics. One registry per app instance. */
@Injectable()
export class DecisionMetrics {
  readonly registry = new Registry();
  private readonly decisions = new Counter({
    name: 'verdict_decisions_total',
    help: 'Decisions durably recorded, by outcome',
    labelNames: ['outcome', 'model', 'policy'] as const,
    registers: [this.registry],
  });
  private readonly replays = new Counter({ name: 'verdict_decision_replays_total', help: 'Retries answered with the original decision', registers: [this.registry] });
  private readonly conflicts = new Counter({ name: 'verdict_decision_conflicts_total', help: 'Retries with a different body (409)', registers: [this.registry] });
  private readonly appendFailures = new Counter({ name: 'verdict_event_store_append_failures_total', help: 'Appends that failed (503 answered, nothing acknowledged)', registers: [this.registry] });
  private readonly decideSeconds = new Histogram({
    name: 'verdict_decide_seconds',
    help: 'Features + inference + policy, before the append',
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1],
    registers: [this.registry],
  });
  private readonly appendSeconds = new Histogram({
    name: 'verdict_append_seconds',
    help: 'Durable append of the DecisionMade event (includes waiting for the group commit)',
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'verdict_' });
  }

  recorded(event: DecisionMadeV1, appendMs: number): void {
    this.decisions.inc({ outcome: event.outcome, model: `${event.model.name}@${event.model.version}`, policy: event.policy.version });
    this.decideSeconds.observe(event.timings.totalMs / 1000);
    this.appendSeconds.observe(appendMs / 1000);
  }
  replayed(): void {
    this.replays.inc();
  }
  conflict(): void {
    this.conflicts.inc();
  }
  appendFailed(): void {
    this.appendFailures.inc();
  }
}

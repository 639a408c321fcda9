import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DecisionMade } from '@verdict/domain';

/** Prometheus metrics for the decision path; scraped at GET /metrics. One registry per app instance. */
@Injectable()
export class DecisionMetrics {
  readonly registry = new Registry();
  private readonly decisions = new Counter({
    name: 'verdict_decisions_total',
    help: 'Decisions durably recorded, by outcome, model version, policy and deployment arm',
    labelNames: ['outcome', 'model', 'policy', 'arm'] as const,
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

  private readonly shadowRuns = new Counter({
    name: 'verdict_shadow_runs_total',
    help: 'Shadow challenger runs recorded with decisions, by result (scored or failed)',
    labelNames: ['model', 'result'] as const,
    registers: [this.registry],
  });
  private readonly challengerFallbacks = new Counter({
    name: 'verdict_challenger_fallbacks_total',
    help: 'Canary requests whose challenger run failed, decided by the champion instead',
    registers: [this.registry],
  });

  recorded(event: DecisionMade, appendMs: number): void {
    this.decisions.inc({ outcome: event.outcome, model: `${event.model.name}@${event.model.version}`, policy: event.policy.version, arm: event.deployment.arm });
    if (event.shadow) this.shadowRuns.inc({ model: `${event.shadow.model.name}@${event.shadow.model.version}`, result: event.shadow.error ? 'failed' : 'scored' });
    if (event.deployment.challengerError) this.challengerFallbacks.inc();
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

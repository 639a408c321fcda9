import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { Gauge } from 'prom-client';
import { newEventId, isDegraded, judgePerformance, type DeployedModel } from '@verdict/domain';
import type { VerdictConfig } from '@verdict/config';
import { WrongExpectedRevisionError, type EventStore } from '@verdict/event-store';
import { DeploymentFollower } from '../deployment/deployment-follower';
import { EVENT_STORE, LOGGER, VERDICT_CONFIG } from '../infrastructure/tokens';
import { DecisionMetrics } from '../metrics/decision-metrics';
import { ModelPerformanceReport } from './model-performance-report';

/** The stream of a model's monitoring events (performance here, drift beside it). */
export const monitoringStream = (model: string): string => `monitoring-${model}`;

/** Appends racing on a monitoring stream are re-read and re-judged this many times. */
const ATTEMPTS = 5;

/**
 * Judges every deployed version (champion and challenger) against its card every VERDICT_PERFORMANCE_CHECK_SECONDS:
 * live precision and recall over the last VERDICT_PERFORMANCE_WINDOW_DAYS, labels as known now. A breach appends
 * `PerformanceDegraded` to `monitoring-<model>` once (decided against the stream as read, appended expecting its
 * revision, so one event per transition however many engines judge), and `PerformanceRecovered` when it is over.
 * It also keeps the performance gauges.
 */
@Injectable()
export class PerformanceMonitor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly figures: Gauge<'model' | 'version' | 'figure'>;

  constructor(
    @Inject(VERDICT_CONFIG) private readonly config: VerdictConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly follower: DeploymentFollower,
    private readonly report: ModelPerformanceReport,
    metrics: DecisionMetrics,
  ) {
    this.figures = new Gauge({
      name: 'verdict_model_performance',
      help: 'Live figures of a deployed model version at the last judgement (precision, recall, false_positive_rate, roc_auc, label_coverage; -1 when undefined)',
      labelNames: ['model', 'version', 'figure'] as const,
      registers: [metrics.registry],
    });
  }

  onApplicationBootstrap(): void {
    const seconds = this.config.performance.checkSeconds;
    if (seconds <= 0) return;
    this.timer = setInterval(() => void this.checkNow(), seconds * 1000);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One judgement of every deployed version now; failures are logged, never thrown (the next check retries). */
  checkNow(): Promise<void> {
    this.running ??= this.judgeAll().finally(() => (this.running = undefined));
    return this.running;
  }

  private async judgeAll(): Promise<void> {
    const state = this.follower.latest();
    const deployed = [state.champion, state.challenger?.model].filter((m): m is DeployedModel => m != null);
    for (const model of deployed) {
      try {
        await this.judge(model.name, model.version);
      } catch (error) {
        this.log.error({ err: error, model: `${model.name}@${model.version}` }, 'performance judgement failed; the next check retries');
      }
    }
  }

  private async judge(name: string, version: string): Promise<void> {
    const now = new Date();
    const from = new Date(now.getTime() - this.config.performance.windowDays * 86_400_000);
    const report = await this.report.report(name, version, { from, to: now, asOf: now, unlabelled: 'legitimate' });
    const f = report.overall;
    const gauge = (figure: string, value: number | null) => this.figures.set({ model: name, version, figure }, value ?? -1);
    gauge('precision', f.precision);
    gauge('recall', f.recall);
    gauge('false_positive_rate', f.falsePositiveRate);
    gauge('roc_auc', f.rocAuc);
    gauge('label_coverage', f.labelCoverage);

    const streamId = monitoringStream(name);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const stream = await this.store.readStream(streamId);
      const at = { model: name, version, window: { from: from.toISOString(), to: now.toISOString() }, asOf: now.toISOString() };
      const transition = judgePerformance(isDegraded(stream, version), at, f, report.card, this.config.performance);
      if (!transition) return;
      try {
        await this.store.appendToStream(streamId, [{ id: newEventId(), type: transition.type, data: { ...transition.data } }], {
          expectedRevision: stream.length === 0 ? 'no_stream' : stream[stream.length - 1].revision,
        });
        this.log.warn({ model: `${name}@${version}`, breached: transition.data.breached, precision: f.precision, recall: f.recall }, transition.type);
        return;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
      }
    }
  }
}

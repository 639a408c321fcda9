import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import type { DriftWindowFigures } from '../monitoring/drift-windows';
import { DecisionMetrics } from './decision-metrics';

/** Drift of the latest closed, judged window per model version, set by the drift monitor (docs/monitoring.md). */
@Injectable()
export class DriftMetrics {
  private readonly psi: Gauge<'model' | 'version' | 'feature'>;
  private readonly ks: Gauge<'model' | 'version' | 'feature'>;
  private readonly breached: Gauge<'model' | 'version' | 'feature'>;
  private readonly decisions: Gauge<'model' | 'version'>;
  private readonly windowEnd: Gauge<'model' | 'version'>;

  constructor(metrics: DecisionMetrics) {
    const registers = [metrics.registry];
    const series = ['model', 'version', 'feature'] as const;
    this.psi = new Gauge({ name: 'verdict_drift_psi', help: 'PSI against the baseline in the latest closed window, per feature ("score" for the score)', labelNames: series, registers });
    this.ks = new Gauge({ name: 'verdict_drift_ks', help: 'Two-sample KS statistic (binned) against the baseline in the latest closed window', labelNames: series, registers });
    this.breached = new Gauge({ name: 'verdict_drift_breached', help: '1 while the series is in breach (PSI above its threshold since a DriftDetected), else 0', labelNames: series, registers });
    this.decisions = new Gauge({ name: 'verdict_drift_window_decisions', help: 'Decisions of the version in the latest closed, judged window', labelNames: ['model', 'version'] as const, registers });
    this.windowEnd = new Gauge({ name: 'verdict_drift_window_end_seconds', help: 'End of the latest closed, judged window (Unix seconds)', labelNames: ['model', 'version'] as const, registers });
  }

  /** The figures of a judged window, and which series are in breach after it. */
  judged(model: string, version: string, window: DriftWindowFigures, inBreach: (feature: string) => boolean): void {
    for (const f of window.features) {
      const labels = { model, version, feature: f.feature };
      this.psi.set(labels, f.psi);
      this.ks.set(labels, f.ks);
      this.breached.set(labels, inBreach(f.feature) ? 1 : 0);
    }
    this.decisions.set({ model, version }, window.decisions);
    this.windowEnd.set({ model, version }, Date.parse(window.to) / 1000);
  }
}

import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import {
  DECISION_MADE,
  DRIFT_DETECTED,
  DriftState,
  driftEventId,
  judgeDriftWindow,
  monitoringStreamId,
  type DriftEvent,
} from '@verdict/domain';
import { isWrongExpectedRevision, NO_STREAM, type EventStore } from '@verdict/event-store';
import { DriftQueries, type DriftVersion } from '@verdict/read-models';
import { EVENT_STORE, LOGGER } from '../infrastructure/tokens';
import { DriftMetrics } from '../metrics/drift.metrics';
import { closedThrough, DriftWindows, type DriftWindowFigures } from './drift-windows';

const MAX_ATTEMPTS = 5;
export const DRIFT_MONITOR_ACTOR = 'drift-monitor';

/**
 * Judges every model version's closed windows against its baseline and records the transitions on
 * `monitoring-<model>`: DriftDetected when a series' PSI goes above its threshold, DriftResolved when it is back
 * within bounds. Every engine instance runs one. The judgement is a pure function of the read model and the stream,
 * and each append carries the stream revision it was judged against, so with several instances exactly one append
 * of each transition lands; the losers re-read the stream and find nothing left to do. A window is judged only once
 * the read model holds every decision recorded by then (no DecisionMade between its checkpoint and the head).
 */
@Injectable()
export class DriftMonitor implements OnApplicationBootstrap {
  private readonly streams = new Map<string, DriftState>();
  /** Per version: start of the next window to judge. */
  private readonly progress = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly windows: DriftWindows,
    private readonly queries: DriftQueries,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly metrics: DriftMetrics,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /** How often it looks for newly closed windows: a quarter of a window, at most a minute. */
  get intervalMs(): number {
    return Math.min(60_000, Math.max(250, this.windows.settings.windowSeconds * 250));
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass over every version (also run by tests). Errors are logged; the next pass tries again. */
  tick(now = Date.now()): Promise<void> {
    if (this.running || this.stopped) return this.running ?? Promise.resolve();
    this.running = this.judge(now)
      .catch((error: unknown) => this.log.error({ err: error }, 'drift monitoring failed; retrying at the next interval'))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async judge(now: number): Promise<void> {
    const through = closedThrough(this.windows.settings, now);
    if (!(await this.readModelHoldsEveryDecision())) return;
    const byModel = new Map<string, DriftVersion[]>();
    for (const v of await this.queries.versions()) byModel.set(v.model, [...(byModel.get(v.model) ?? []), v]);
    for (const [model, versions] of byModel) {
      if (this.stopped) return;
      await this.judgeModel(model, versions, through, now);
    }
  }

  /** The read model's checkpoint is at the head, or no DecisionMade lies between them. */
  private async readModelHoldsEveryDecision(): Promise<boolean> {
    const head = await this.store.headPosition();
    const checkpoint = await this.queries.checkpoint();
    if (checkpoint >= head) return true;
    const [pending] = await this.store.readAll({ after: checkpoint, maxCount: 1, filter: { eventTypePrefixes: [DECISION_MADE] } });
    return pending === undefined || pending.position > head;
  }

  private async judgeModel(model: string, versions: readonly DriftVersion[], through: number, now: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const state = await this.refresh(model);
      let next = state;
      const events: DriftEvent[] = [];
      const judged: (() => void)[] = [];
      for (const v of versions) {
        const key = JSON.stringify([v.model, v.version]);
        const resumed = state.lastWindowFrom(v.version);
        const from = Math.max(this.progress.get(key) ?? 0, resumed === undefined ? 0 : Date.parse(resumed));
        if (from >= through) continue;
        const baseline = await this.windows.baseline(v, now);
        if (baseline === null) continue;
        const figures = await this.windows.figures(v, baseline, from, through, this.windows.settings.windowSeconds, now);
        let last: DriftWindowFigures | undefined;
        for (const window of figures.filter((f) => f.judged && f.closed)) {
          const transitions = judgeDriftWindow(next, { version: v.version, window: { from: window.from, to: window.to }, decisions: window.decisions, baseline: baseline.reference, figures: window.features });
          for (const e of transitions) next = next.apply(e, null);
          events.push(...transitions);
          last = window;
        }
        const after = next;
        judged.push(() => {
          this.progress.set(key, through);
          if (last) this.metrics.judged(v.model, v.version, last, (feature) => after.breach(v.version, feature) !== undefined);
        });
      }
      try {
        if (events.length > 0) await this.append(model, state, events);
        for (const done of judged) done();
        return;
      } catch (error) {
        if (!isWrongExpectedRevision(error) || attempt >= MAX_ATTEMPTS) throw error;
        // Another instance recorded transitions first: fold them in and judge again from there.
      }
    }
  }

  private async append(model: string, state: DriftState, events: readonly DriftEvent[]): Promise<void> {
    const result = await this.store.appendToStream(
      monitoringStreamId(model),
      events.map((e) => ({ id: driftEventId(e), type: e.type, data: e.data as unknown as Record<string, unknown>, metadata: { actor: DRIFT_MONITOR_ACTOR } })),
      { expectedRevision: state.lastRevision ?? NO_STREAM },
    );
    this.streams.set(model, events.reduce((s, e, i) => s.apply(e, result.nextExpectedRevision - BigInt(events.length - 1 - i)), state));
    for (const e of events) {
      const fields = { model, version: e.data.version, feature: e.data.feature, window: e.data.window, psi: e.data.psi, threshold: e.data.threshold };
      if (e.type === DRIFT_DETECTED) this.log.warn(fields, 'drift detected');
      else this.log.info(fields, 'drift resolved');
    }
  }

  /** The model's monitoring stream folded, read from where this instance last left it. */
  private async refresh(model: string): Promise<DriftState> {
    let state = this.streams.get(model) ?? DriftState.empty(model);
    const fromRevision = state.lastRevision === null ? 0n : state.lastRevision + 1n;
    const events = await this.store.readStream(monitoringStreamId(model), { fromRevision });
    for (const e of events) state = state.applyRecorded(e.type, e.data, e.revision);
    this.streams.set(model, state);
    return state;
  }
}

import type { SeriesDrift } from './drift-baseline';
import {
  DRIFT_DETECTED,
  DRIFT_RESOLVED,
  upcastDriftEvent,
  type BaselineReference,
  type DriftEvent,
  type TimeWindow,
} from './drift-events';

const key = (version: string, feature: string): string => JSON.stringify([version, feature]);

/**
 * A model's monitoring stream folded (it also holds other monitors' events, e.g. PerformanceDegraded): which series of which version are in breach (since which window), the last
 * window each version has an event for, and the stream's last revision (the next append's expectation).
 */
export class DriftState {
  private constructor(
    readonly model: string,
    private readonly open: ReadonlyMap<string, TimeWindow>,
    private readonly lastWindows: ReadonlyMap<string, string>,
    /** Revision of the stream's last event; null when the stream does not exist yet. */
    readonly lastRevision: bigint | null,
  ) {}

  static empty(model: string): DriftState {
    return new DriftState(model, new Map(), new Map(), null);
  }

  /** Folds the stream; other events on it (a performance monitor's) only move the revision. */
  static fold(model: string, events: readonly { type: string; data: unknown; revision: bigint }[]): DriftState {
    return events.reduce((s, e) => s.applyRecorded(e.type, e.data, e.revision), DriftState.empty(model));
  }

  /** One stored event of the stream: a drift event is applied, any other only moves the revision. */
  applyRecorded(type: string, data: unknown, revision: bigint): DriftState {
    if (type !== DRIFT_DETECTED && type !== DRIFT_RESOLVED) return new DriftState(this.model, this.open, this.lastWindows, revision);
    return this.apply(upcastDriftEvent(type, data), revision);
  }

  apply(event: DriftEvent, revision: bigint | null): DriftState {
    const open = new Map(this.open);
    const k = key(event.data.version, event.data.feature);
    if (event.type === DRIFT_DETECTED) open.set(k, event.data.window);
    else open.delete(k);
    const lastWindows = new Map(this.lastWindows);
    const previous = lastWindows.get(event.data.version);
    if (previous === undefined || event.data.window.from > previous) lastWindows.set(event.data.version, event.data.window.from);
    return new DriftState(this.model, open, lastWindows, revision ?? this.lastRevision);
  }

  /** The window that opened the series' current breach; undefined when it is within bounds. */
  breach(version: string, feature: string): TimeWindow | undefined {
    return this.open.get(key(version, feature));
  }

  /** Start of the latest window the version has an event for: judging resumes there (judging it again is a no-op). */
  lastWindowFrom(version: string): string | undefined {
    return this.lastWindows.get(version);
  }
}

export interface JudgedWindow {
  readonly version: string;
  readonly window: TimeWindow;
  readonly decisions: number;
  readonly baseline: BaselineReference;
  readonly figures: readonly SeriesDrift[];
}

/**
 * The transitions one closed window causes, in series order: DriftDetected for a breached series that was within
 * bounds, DriftResolved for a series back within bounds after a breach; nothing otherwise, so a breach is reported
 * once however many windows it lasts. Pure: every instance judging the same window from the same state agrees, and
 * judging a window again after its events are folded in gives nothing.
 */
export function judgeDriftWindow(state: DriftState, judged: JudgedWindow): DriftEvent[] {
  const events: DriftEvent[] = [];
  for (const f of judged.figures) {
    if (f.threshold === null) continue;
    const common = {
      schemaVersion: 1 as const,
      model: state.model,
      version: judged.version,
      feature: f.feature,
      window: judged.window,
      decisions: judged.decisions,
      psi: f.psi,
      ks: f.ks,
      threshold: f.threshold,
      baseline: judged.baseline,
    };
    const open = state.breach(judged.version, f.feature);
    if (f.breached && open === undefined) events.push({ type: DRIFT_DETECTED, data: common });
    else if (!f.breached && open !== undefined) events.push({ type: DRIFT_RESOLVED, data: { ...common, detectedWindow: open } });
  }
  return events;
}

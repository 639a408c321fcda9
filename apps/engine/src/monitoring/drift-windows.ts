import {
  driftFigures,
  firstWindowBaseline,
  seriesNames,
  trainingBaseline,
  type DriftBaseline,
  type DriftThresholds,
  type SeriesDrift,
  type WindowHistogram,
} from '@verdict/domain';
import type { DriftQueries, DriftVersion, StoredDriftWindow } from '@verdict/read-models';

/** What drift is measured with: the projection's window width, the decisions a window needs, the PSI thresholds. */
export interface DriftSettings {
  readonly windowSeconds: number;
  readonly minDecisions: number;
  readonly thresholds: DriftThresholds;
}

/** One window's figures for one version. */
export interface DriftWindowFigures {
  readonly from: string;
  readonly to: string;
  /** The window has ended (plus the grace for decisions still being recorded): its figures are final. */
  readonly closed: boolean;
  readonly decisions: number;
  /**
   * Judged: it has at least minDecisions, a baseline exists, and it is not the first-window baseline itself. Only
   * closed judged windows raise DriftDetected / DriftResolved.
   */
  readonly judged: boolean;
  /** Per feature, then the score; empty while there is no baseline. */
  readonly features: readonly SeriesDrift[];
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Decisions of a window are recorded a little after it ends (the append follows decidedAt): a window is final once
 * this long after its end. A tenth of the window, at most 30 s.
 */
export const closingGraceMs = (windowSeconds: number): number => Math.min(30_000, windowSeconds * 100);

/** Start of the earliest window not yet closed at `nowMs`: every window starting before it is final. */
export function closedThrough(settings: DriftSettings, nowMs: number): number {
  const w = settings.windowSeconds * 1000;
  return Math.floor((nowMs - closingGraceMs(settings.windowSeconds)) / w) * w;
}

/** Drift figures of model versions from the drift read model: the baselines and the per-window PSI and KS. */
export class DriftWindows {
  constructor(
    private readonly queries: DriftQueries,
    readonly settings: DriftSettings,
  ) {}

  /**
   * The version's baseline: its training statistics, or its earliest closed window with at least minDecisions
   * decisions; null while it has neither.
   */
  async baseline(v: DriftVersion, nowMs: number): Promise<DriftBaseline | null> {
    if (v.binning.kind === 'training') return trainingBaseline(v.binning.statistics);
    const first = await this.queries.firstFullWindow(v.model, v.version, this.settings.windowSeconds, this.settings.minDecisions);
    const w = this.settings.windowSeconds * 1000;
    if (first === null || first.startMs >= closedThrough(this.settings, nowMs)) return null;
    return firstWindowBaseline({ from: iso(first.startMs), to: iso(first.startMs + w) }, first.histogram, seriesNames(v.binning));
  }

  /** The stored windows of the version starting in [fromMs, toMs), oldest first. */
  async stored(v: DriftVersion, fromMs: number, toMs: number): Promise<StoredDriftWindow[]> {
    const out: StoredDriftWindow[] = [];
    for (let from = fromMs; ; ) {
      const page = await this.queries.windows(v.model, v.version, this.settings.windowSeconds, from, toMs, 1000);
      out.push(...page);
      if (page.length < 1000) return out;
      from = (page.at(-1) as StoredDriftWindow).startMs + 1;
    }
  }

  /**
   * Figures per window of `widthSeconds` (a multiple of the projection's window, aligned to the epoch) for windows
   * starting in [fromMs, toMs) that have decisions.
   */
  async figures(v: DriftVersion, baseline: DriftBaseline | null, fromMs: number, toMs: number, widthSeconds: number, nowMs: number): Promise<DriftWindowFigures[]> {
    const width = widthSeconds * 1000;
    const merged = new Map<number, WindowHistogram>();
    for (const stored of await this.stored(v, fromMs, toMs)) {
      const start = Math.floor(stored.startMs / width) * width;
      merged.set(start, add(merged.get(start), stored.histogram));
    }
    const closed = closedThrough(this.settings, nowMs);
    return [...merged.entries()].map(([start, histogram]) => this.windowFigures(baseline, start, start + width, histogram, start + width <= closed));
  }

  /** The figures of one window's histograms. */
  windowFigures(baseline: DriftBaseline | null, startMs: number, endMs: number, histogram: WindowHistogram, closed: boolean): DriftWindowFigures {
    const isBaseline = baseline?.reference.window !== undefined && baseline.reference.window.from === iso(startMs) && baseline.reference.window.to === iso(endMs);
    const judged = baseline !== null && !isBaseline && histogram.decisions >= this.settings.minDecisions;
    return {
      from: iso(startMs),
      to: iso(endMs),
      closed,
      decisions: histogram.decisions,
      judged,
      features: baseline === null ? [] : driftFigures(baseline, histogram, this.settings.thresholds).map((f) => (judged ? f : { ...f, breached: false })),
    };
  }
}

/** Two windows' histograms added together (for a window wider than the projection's). */
function add(into: WindowHistogram | undefined, h: WindowHistogram): WindowHistogram {
  if (into === undefined) return h;
  const series: Record<string, Record<string, number>> = {};
  for (const source of [into.series, h.series]) {
    for (const [name, counts] of Object.entries(source)) {
      const target = (series[name] ??= {});
      for (const [key, count] of Object.entries(counts)) target[key] = (target[key] ?? 0) + count;
    }
  }
  return { decisions: into.decisions + h.decisions, series };
}

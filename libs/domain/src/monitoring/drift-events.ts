import { uuidV5 } from '../deterministic-id';

/** Event type names are part of the stored format: never rename one. Documented in docs/events.md. */
export const DRIFT_DETECTED = 'DriftDetected' as const;
export const DRIFT_RESOLVED = 'DriftResolved' as const;

export const MONITORING_STREAM_PREFIX = 'monitoring-';
/** One stream per model name: every version's drift breaches and resolutions, in order. */
export const monitoringStreamId = (model: string): string => `${MONITORING_STREAM_PREFIX}${model}`;

export type BaselineKind = 'training' | 'first-window';

/** A window of decision time, [from, to), ISO-8601. */
export interface TimeWindow {
  readonly from: string;
  readonly to: string;
}

/** What a version's traffic is compared with: its manifest's training statistics, or its own first window. */
export interface BaselineReference {
  readonly kind: BaselineKind;
  /** first-window only: the window the baseline was taken from, and its decisions. */
  readonly window?: TimeWindow;
  readonly decisions?: number;
}

/** The figures of one series (a feature, or the score) of one model version over one window. */
interface DriftFigures {
  readonly model: string;
  readonly version: string;
  /** A feature name, or "score". */
  readonly feature: string;
  readonly window: TimeWindow;
  /** Decisions of the version in the window. */
  readonly decisions: number;
  readonly psi: number;
  readonly ks: number;
  /** The PSI limit in force: drift is psi > threshold. */
  readonly threshold: number;
  readonly baseline: BaselineReference;
}

/** The window's PSI exceeded the threshold while the series was within bounds: a breach begins. */
export interface DriftDetectedV1 extends DriftFigures {
  readonly schemaVersion: 1;
}

/** The first window back within bounds after a breach. */
export interface DriftResolvedV1 extends DriftFigures {
  readonly schemaVersion: 1;
  /** The window whose DriftDetected opened the breach. */
  readonly detectedWindow: TimeWindow;
}

export type DriftDetected = DriftDetectedV1;
export type DriftResolved = DriftResolvedV1;

export type DriftEvent =
  | { readonly type: typeof DRIFT_DETECTED; readonly data: DriftDetected }
  | { readonly type: typeof DRIFT_RESOLVED; readonly data: DriftResolved };

/** Reads a stored drift event of any version as the current one (version 1 is the only one so far). */
export function upcastDriftEvent(type: string, data: unknown): DriftEvent {
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== 1) throw new RangeError(`${type} schema version ${String(version)} is not one this build reads`);
  if (type === DRIFT_DETECTED) return { type, data: data as DriftDetected };
  if (type === DRIFT_RESOLVED) return { type, data: data as DriftResolved };
  throw new RangeError(`${type} is not a drift event`);
}

/**
 * The event id of a drift transition: the same transition computed by any engine instance gets the same id, so an
 * EventStoreDB duplicate check recognises a repeat as well as the expected revision does.
 */
export const driftEventId = (event: DriftEvent): string =>
  uuidV5(`drift:${JSON.stringify([event.type, event.data.model, event.data.version, event.data.feature, event.data.window.from])}`);

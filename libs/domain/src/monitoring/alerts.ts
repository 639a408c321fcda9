import { CHALLENGER_ROLLED_BACK, type ChallengerRolledBackV1 } from '../deployment/deployment-events';
import { DRIFT_DETECTED, type DriftDetectedV1 } from './drift-events';
import { PERFORMANCE_DEGRADED, type PerformanceDegradedV1 } from './performance-events';

/** The events that are alerts: what an operator or analyst must look at. */
export const ALERT_TYPES = [DRIFT_DETECTED, PERFORMANCE_DEGRADED, CHALLENGER_ROLLED_BACK] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

export const isAlertType = (type: string): type is AlertType => (ALERT_TYPES as readonly string[]).includes(type);

/** An alert as listed and delivered: its event, the model version it concerns, and one line saying what happened. */
export interface Alert {
  /** The event's id. */
  readonly alertId: string;
  readonly type: AlertType;
  readonly model: string | null;
  readonly version: string | null;
  readonly raisedAt: string;
  /** The event's log position (decimal string). */
  readonly position: string;
  readonly summary: string;
  readonly data: unknown;
}

const fixed = (n: number | null | undefined, digits = 3): string => (typeof n === 'number' ? n.toFixed(digits) : 'n/a');

/** The alert an event makes (pure). `raisedAt` falls back to when the store recorded it. */
export function alertOf(event: { id: string; type: AlertType; data: unknown; position: bigint; recordedAt: Date }): Alert {
  const base = { alertId: event.id, type: event.type, position: event.position.toString(), data: event.data };
  switch (event.type) {
    case DRIFT_DETECTED: {
      const d = event.data as DriftDetectedV1;
      return {
        ...base,
        model: d.model,
        version: d.version,
        raisedAt: d.window?.to ?? event.recordedAt.toISOString(),
        summary: `Drift on ${d.feature} of ${d.model}@${d.version}: PSI ${fixed(d.psi)} > ${d.threshold} (KS ${fixed(d.ks)}) in [${d.window?.from}, ${d.window?.to})`,
      };
    }
    case PERFORMANCE_DEGRADED: {
      const p = event.data as PerformanceDegradedV1;
      const parts = p.breached.map((f) => `${f} ${fixed(p[f])} < card ${fixed(p.card[f])} − ${p.margin}`);
      return { ...base, model: p.model, version: p.version, raisedAt: p.asOf, summary: `Performance of ${p.model}@${p.version} degraded: ${parts.join(', ')} (${p.labelled} labelled decisions)` };
    }
    case CHALLENGER_ROLLED_BACK: {
      const r = event.data as ChallengerRolledBackV1;
      const m = r.previous.challenger.model;
      return {
        ...base,
        model: m.name,
        version: m.version,
        raisedAt: r.at,
        summary: `Challenger ${m.name}@${m.version} rolled back ${r.automatic ? 'automatically' : `by ${r.actor}`}: ${r.reason}`,
      };
    }
  }
}

import { buildFeatureVector, resolveFeatures } from '@verdict/domain';
import { simulateTransactions } from '@verdict/simulator';
import type { Dataset } from '@verdict/training';
import type { SimulationConfig } from './fraud-demo-config';

/** Simulated transactions as a feature matrix, with each row's simulated day and fraud scenario. */
export interface SimulatedDataset extends Dataset {
  /** Day index (0 = startDate) of each row. */
  readonly days: Uint16Array;
  /** Scenario per row ('' for legitimate transactions). */
  readonly scenarios: readonly string[];
}

const DAY_MS = 86_400_000;

export function buildSimulatedDataset(sim: SimulationConfig, features: readonly string[]): SimulatedDataset {
  resolveFeatures(features); // fail fast on an unknown name
  const F = features.length;
  const start = Date.parse(`${sim.startDate}T00:00:00Z`);
  let capacity = 1 << 16;
  let values = new Float32Array(capacity * F);
  let labels = new Uint8Array(capacity);
  let days = new Uint16Array(capacity);
  const scenarios: string[] = [];
  let rows = 0;
  for (const { request, label } of simulateTransactions(sim)) {
    if (rows === capacity) {
      capacity *= 2;
      values = grow(values, capacity * F);
      labels = grow(labels, capacity);
      days = grow(days, capacity);
    }
    buildFeatureVector(request, features, values, rows * F);
    labels[rows] = label.isFraud ? 1 : 0;
    days[rows] = Math.floor((Date.parse(request.occurredAt) - start) / DAY_MS);
    scenarios.push(label.scenario ?? '');
    rows++;
  }
  return {
    featureNames: [...features],
    rows,
    values: values.slice(0, rows * F),
    labels: labels.slice(0, rows),
    days: days.slice(0, rows),
    scenarios,
  };
}

function grow<T extends Float32Array | Uint8Array | Uint16Array>(a: T, length: number): T {
  const next = new (a.constructor as new (n: number) => T)(length);
  next.set(a);
  return next;
}

/** Row indices whose day is in [fromDay, toDay). */
export function rowsInDays(d: SimulatedDataset, fromDay: number, toDay: number): Uint32Array {
  const out: number[] = [];
  for (let i = 0; i < d.rows; i++) {
    const day = d.days[i] as number;
    if (day >= fromDay && day < toDay) out.push(i);
  }
  return Uint32Array.from(out);
}

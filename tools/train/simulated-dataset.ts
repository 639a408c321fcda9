import { FeaturePlan, HistoryState, historyFeatureValues, type DecisionRequest } from '@verdict/domain';
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

/** Entities held by the training history: far above what a simulation names, so nothing is ever evicted. */
const TRAINING_MAX_ENTITIES = 10_000_000;

/**
 * Builds the features of every simulated transaction, in time order, through the same code as serving. History
 * features see the state the engine would hold: every earlier transaction, and the chargebacks whose simulated
 * `chargebackAt` has passed (as `simulate drive` sends them, reported at that instant): no hindsight. Each
 * transaction then joins the history as approved, since no engine decided it: a model trained here must not read
 * `card_declines_24h`, which would differ between training and serving.
 */
export function buildSimulatedDataset(sim: SimulationConfig, features: readonly string[]): SimulatedDataset {
  const plan = new FeaturePlan(features); // fails fast on an unknown name
  if (plan.historyNames.includes('card_declines_24h')) throw new RangeError('card_declines_24h counts Verdict\'s own declines, which simulated training data has none of');
  const F = features.length;
  const start = Date.parse(`${sim.startDate}T00:00:00Z`);
  const history = new TrainingHistory();
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
    const at = Date.parse(request.occurredAt);
    if (plan.usesHistory) {
      history.reportDue(at);
      plan.build(request, values, rows * F, historyFeatureValues(history.state, request, plan.historyNames));
      history.apply(request, label.chargebackAt);
    } else plan.build(request, values, rows * F);
    labels[rows] = label.isFraud ? 1 : 0;
    days[rows] = Math.floor((at - start) / DAY_MS);
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

/** The history as the log would build it: transactions as they come, chargebacks once due, at rising positions. */
class TrainingHistory {
  readonly state = new HistoryState(TRAINING_MAX_ENTITIES);
  private position = 0n;
  /** Chargebacks not yet due, ordered by (due time, order added): a binary min-heap. */
  private readonly pending: { at: number; seq: number; transactionId: string; merchantId: string }[] = [];
  private seq = 0;

  apply(request: DecisionRequest, chargebackAt: string | null): void {
    this.state.applyDecision(++this.position, request, 'approve');
    if (chargebackAt !== null) this.push({ at: Date.parse(chargebackAt), seq: this.seq++, transactionId: request.transactionId, merchantId: request.merchantId });
  }

  /** Applies every chargeback due at or before `atMs`, in due order. */
  reportDue(atMs: number): void {
    while (this.pending.length > 0 && (this.pending[0] as { at: number }).at <= atMs) {
      const due = this.pop();
      this.state.applyLabel(++this.position, { transactionId: due.transactionId, merchantId: due.merchantId, label: 'fraud', reportedAt: new Date(due.at).toISOString() });
    }
  }

  private push(item: TrainingHistory['pending'][number]): void {
    const heap = this.pending;
    heap.push(item);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private pop(): TrainingHistory['pending'][number] {
    const heap = this.pending;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  }
}

const before = (a: { at: number; seq: number }, b: { at: number; seq: number }): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq);

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

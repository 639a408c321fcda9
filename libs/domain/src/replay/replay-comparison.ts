import type { DecisionMade, Reason } from '../decision-made.event';
import { MAX_REASONS } from '../decide';
import { topReasons } from '../explanation';
import { applyPolicy } from '../policy';

type RecordedOutput = DecisionMade['modelOutputs'][string];

/** What the model said again for one decision: the real row's outputs, and the scores of its 1 + F rows. */
export interface ReplayedRun {
  readonly modelOutputs: Readonly<Record<string, RecordedOutput>>;
  readonly scores: Float32Array;
}

/** One field that came out differently. `field` is a path: `modelOutputs.probabilities[1]`, `score`, `outcome`, … */
export interface FieldDifference {
  readonly field: string;
  readonly recorded: unknown;
  readonly replayed: unknown;
}

/**
 * Bit-for-bit: float32 values widened to doubles compare with ===, exactly (JSON carries a float32 exactly; the one
 * thing it cannot carry is the sign of a zero, which === therefore ignores). Strings (int64 beyond 2^53, NaN) and
 * booleans compare as written.
 */
function compareOutput(name: string, recorded: RecordedOutput | undefined, replayed: RecordedOutput | undefined, out: FieldDifference[]): void {
  const field = `modelOutputs.${name}`;
  if (recorded === undefined || replayed === undefined) {
    out.push({ field, recorded: recorded ?? null, replayed: replayed ?? null });
    return;
  }
  if (recorded.type !== replayed.type) out.push({ field: `${field}.type`, recorded: recorded.type, replayed: replayed.type });
  if (!sameList(recorded.dims, replayed.dims)) out.push({ field: `${field}.dims`, recorded: recorded.dims, replayed: replayed.dims });
  const n = Math.max(recorded.data.length, replayed.data.length);
  for (let i = 0; i < n; i++) {
    if (recorded.data[i] !== replayed.data[i]) out.push({ field: `${field}[${i}]`, recorded: recorded.data[i] ?? null, replayed: replayed.data[i] ?? null });
  }
}

const sameList = (a: readonly unknown[], b: readonly unknown[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

const sameReasons = (a: readonly Reason[], b: readonly Reason[]): boolean =>
  a.length === b.length && a.every((r, i) => r.feature === b[i].feature && r.value === b[i].value && r.contribution === b[i].contribution);

/**
 * Compares a recorded decision with its replay: every recorded output value, then the score, the outcome under the
 * recorded policy, and the reasons recomputed from the replayed scores. Empty when the decision is reproduced.
 */
export function compareReplay(decision: DecisionMade, replayed: ReplayedRun): FieldDifference[] {
  const out: FieldDifference[] = [];
  const names = new Set([...Object.keys(decision.modelOutputs), ...Object.keys(replayed.modelOutputs)]);
  for (const name of [...names].sort()) compareOutput(name, decision.modelOutputs[name], replayed.modelOutputs[name], out);
  const score = replayed.scores[0];
  if (decision.score !== score) out.push({ field: 'score', recorded: decision.score, replayed: score });
  const outcome = applyPolicy(score, decision.policy);
  if (decision.outcome !== outcome) out.push({ field: 'outcome', recorded: decision.outcome, replayed: outcome });
  const reasons = topReasons(decision.features.names, Float32Array.from(decision.features.values), replayed.scores, MAX_REASONS);
  if (!sameReasons(decision.reasons, reasons)) out.push({ field: 'reasons', recorded: decision.reasons, replayed: reasons });
  return out;
}

/** Where today's feature code builds another row from the recorded request than the one the decision used. */
export function compareFeatures(decision: DecisionMade, recomputed: Float32Array): FieldDifference[] {
  const out: FieldDifference[] = [];
  const { names, values } = decision.features;
  for (let i = 0; i < names.length; i++) {
    if (values[i] !== recomputed[i]) out.push({ field: `features.${names[i]}`, recorded: values[i], replayed: recomputed[i] });
  }
  return out;
}

import type { DecisionRequest } from '../decision-request';
import { resolveFeatures, type FeatureColumn, type FeatureColumnResolver, type FeatureColumnSpec } from './feature-columns';
import { HistoryValuesMissingError, InvalidFeatureOutputError, NonFiniteFeatureError } from './feature.errors';

/**
 * A model's input columns resolved once (at load), so building a row per request does no name lookups.
 * Values are stored as float32: exactly what the model sees.
 */
export class FeaturePlan {
  readonly names: readonly string[];
  /** The history features among the columns, in column order: the values build() takes as `history`. */
  readonly historyNames: readonly string[];
  private readonly columns: readonly FeatureColumn[];

  constructor(specs: readonly FeatureColumnSpec[], resolve?: FeatureColumnResolver) {
    this.columns = resolveFeatures(specs, resolve);
    this.names = Object.freeze(this.columns.map((c) => c.name));
    this.historyNames = Object.freeze(this.columns.filter((c) => c.fromHistory).map((c) => c.name));
  }

  get usesHistory(): boolean {
    return this.historyNames.length > 0;
  }

  get width(): number {
    return this.columns.length;
  }

  /**
   * Computes the row for `request` into `out` at `offset` (a new Float32Array when `out` is omitted). `history`
   * holds the values of `historyNames`, in that order, as the log's state gave them (historyFeatureValues).
   */
  build(request: DecisionRequest, out?: Float32Array, offset = 0, history?: readonly number[]): Float32Array {
    if (this.historyNames.length > 0 && history?.length !== this.historyNames.length) throw new HistoryValuesMissingError(this.historyNames, history?.length);
    const target = out ?? new Float32Array(this.columns.length);
    if (!Number.isInteger(offset) || offset < 0 || offset + this.columns.length > target.length) {
      throw new InvalidFeatureOutputError(
        `Cannot write ${this.columns.length} features at offset ${offset} into a Float32Array of length ${target.length}`,
      );
    }
    for (let i = 0, h = 0; i < this.columns.length; i++) {
      const column = this.columns[i] as FeatureColumn;
      const value = column.fromHistory ? (history as readonly number[])[h++] as number : column.compute(request);
      if (!Number.isFinite(value)) throw new NonFiniteFeatureError(column.name, value);
      target[offset + i] = value;
    }
    return target;
  }
}

/**
 * Computes `columns` for `request` (resolving them on every call: for training and tools; the engine keeps a
 * FeaturePlan). Nothing is written when a name is unknown.
 */
export function buildFeatureVector(
  request: DecisionRequest,
  columns: readonly FeatureColumnSpec[],
  out?: Float32Array,
  offset = 0,
): Float32Array {
  return new FeaturePlan(columns).build(request, out, offset);
}

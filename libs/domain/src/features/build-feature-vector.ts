import type { DecisionRequest } from '../decision-request';
import type { FeatureDefinition } from './feature-definition';
import { InvalidFeatureOutputError, NonFiniteFeatureError, UnknownFeatureError } from './feature.errors';
import { findFeature } from './feature-registry';

/** Resolves names to definitions once; throws UnknownFeatureError on the first unknown name. */
export function resolveFeatures(names: readonly string[]): readonly FeatureDefinition[] {
  return names.map((name) => {
    const f = findFeature(name);
    if (f === undefined) throw new UnknownFeatureError(name);
    return f;
  });
}

/**
 * Computes `names` for `request` into `out` at `offset` (a new Float32Array when `out` is omitted) and returns `out`.
 * Values are stored as float32 — exactly what the model sees. Nothing is written when a name is unknown.
 */
export function buildFeatureVector(
  request: DecisionRequest,
  names: readonly string[],
  out?: Float32Array,
  offset = 0,
): Float32Array {
  const defs = resolveFeatures(names);
  const target = out ?? new Float32Array(names.length);
  if (!Number.isInteger(offset) || offset < 0 || offset + names.length > target.length) {
    throw new InvalidFeatureOutputError(
      `Cannot write ${names.length} features at offset ${offset} into a Float32Array of length ${target.length}`,
    );
  }
  for (let i = 0; i < defs.length; i++) {
    const def = defs[i] as FeatureDefinition;
    const value = def.compute(request);
    if (!Number.isFinite(value)) throw new NonFiniteFeatureError(def.name, value);
    target[offset + i] = value;
  }
  return target;
}

import type { DecisionRequest } from '../decision-request';
import { InvalidFeatureColumnError, UnknownFeatureError } from './feature.errors';
import { findHistoryFeature } from '../history/history-features';
import { findFeature } from './feature-registry';

/** Prefix of a column read from the request's `attributes` instead of computed by a registered feature. */
export const ATTRIBUTE_PREFIX = 'attributes.';

/**
 * One model input column as a manifest names it: a registered feature ("amount"), or a numeric request attribute
 * ("attributes.riskScore", or `{ name: "attributes.riskScore", default: 0.5 }` for the value used when it is missing).
 */
export type FeatureColumnSpec = string | { readonly name: string; readonly default?: number };

/** A column resolved to how it is computed. */
export interface FeatureColumn {
  readonly name: string;
  /**
   * A history feature (docs/features.md): its value comes from the state of the log when the request is scored, so
   * FeaturePlan.build takes it as given (`history`) instead of calling compute().
   */
  readonly fromHistory?: true;
  compute(request: DecisionRequest): number;
}

function historyColumn(name: string): FeatureColumn {
  return {
    name,
    fromHistory: true,
    compute: () => {
      throw new InvalidFeatureColumnError(name, 'is a history feature: its value is given to FeaturePlan.build, not computed from the request');
    },
  };
}

/**
 * The value of a numeric attribute: a finite number as sent, a boolean as 1/0, a string holding a finite number
 * as that number; anything else (absent, empty, not numeric) is the column's default.
 */
function attributeColumn(name: string, key: string, fallback: number): FeatureColumn {
  return {
    name,
    compute: (request) => {
      const raw = request.attributes?.[key];
      if (typeof raw === 'number') return Number.isFinite(raw) ? raw : fallback;
      if (typeof raw === 'boolean') return raw ? 1 : 0;
      if (typeof raw === 'string' && raw.trim() !== '') {
        const n = Number(raw);
        return Number.isFinite(n) ? n : fallback;
      }
      return fallback;
    },
  };
}

export const featureColumnName = (spec: FeatureColumnSpec): string => (typeof spec === 'string' ? spec : spec.name);

/** Resolves one column spec; throws UnknownFeatureError or InvalidFeatureColumnError. */
export function resolveFeatureColumn(spec: FeatureColumnSpec): FeatureColumn {
  const name = featureColumnName(spec);
  const fallback = typeof spec === 'string' ? undefined : spec.default;
  if (name.startsWith(ATTRIBUTE_PREFIX)) {
    const key = name.slice(ATTRIBUTE_PREFIX.length);
    if (key.length === 0 || key.length > 128) throw new InvalidFeatureColumnError(name, 'needs an attribute key of 1–128 characters');
    if (fallback !== undefined && !Number.isFinite(fallback)) throw new InvalidFeatureColumnError(name, 'default must be a finite number');
    return attributeColumn(name, key, fallback ?? 0);
  }
  if (fallback !== undefined && (findFeature(name) || findHistoryFeature(name))) {
    throw new InvalidFeatureColumnError(name, 'a default applies only to attributes.<key> columns');
  }
  const feature = findFeature(name);
  if (feature !== undefined) return feature;
  if (findHistoryFeature(name) !== undefined) return historyColumn(name);
  throw new UnknownFeatureError(name);
}

/** How a column spec becomes code: the registry's, or (for a replay that checks feature-code drift) another build's. */
export type FeatureColumnResolver = (spec: FeatureColumnSpec) => FeatureColumn;

/** Resolves every column, in order; a name used twice is an error (the model would see one value twice). */
export function resolveFeatures(specs: readonly FeatureColumnSpec[], resolve: FeatureColumnResolver = resolveFeatureColumn): readonly FeatureColumn[] {
  const seen = new Set<string>();
  return specs.map((spec) => {
    const column = resolve(spec);
    if (seen.has(column.name)) throw new InvalidFeatureColumnError(column.name, 'is listed twice');
    seen.add(column.name);
    return column;
  });
}

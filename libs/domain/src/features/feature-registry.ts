import { AMOUNT_FEATURES } from './amount.features';
import { CHANNEL_FEATURES } from './channel.features';
import type { FeatureDefinition } from './feature-definition';
import { GEO_FEATURES } from './geo.features';
import { IDENTITY_FEATURES } from './identity.features';
import { MERCHANT_FEATURES } from './merchant.features';
import { TIME_FEATURES } from './time.features';

/** Every feature the engine can compute, in a stable documentation order (models choose their own column order). */
export const FEATURES: readonly FeatureDefinition[] = Object.freeze([
  ...AMOUNT_FEATURES,
  ...TIME_FEATURES,
  ...CHANNEL_FEATURES,
  ...MERCHANT_FEATURES,
  ...GEO_FEATURES,
  ...IDENTITY_FEATURES,
]);

export const FEATURE_NAMES: readonly string[] = Object.freeze(FEATURES.map((f) => f.name));

const BY_NAME: ReadonlyMap<string, FeatureDefinition> = (() => {
  const map = new Map<string, FeatureDefinition>();
  for (const f of FEATURES) {
    if (map.has(f.name)) throw new Error(`Duplicate feature name "${f.name}"`);
    map.set(f.name, f);
  }
  return map;
})();

/** The definition named `name`, or undefined. */
export function findFeature(name: string): FeatureDefinition | undefined {
  return BY_NAME.get(name);
}

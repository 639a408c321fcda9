import type { DecisionMade, FeatureColumnSpec } from '@verdict/domain';
import type { ModelCatalog } from '../models/model-catalog';

/**
 * The input columns a decision's model declares, for recompute-features: the registered manifest's (with attribute
 * defaults) when the registry holds exactly that model, else the recorded names (version-1 events, or bytes the
 * registry never saw). Looked up once per model.
 */
export function featureSpecsFrom(catalog: Pick<ModelCatalog, 'history'>): (decision: DecisionMade) => Promise<readonly FeatureColumnSpec[]> {
  const known = new Map<string, Promise<readonly FeatureColumnSpec[]>>();
  return (decision) => {
    const { name, version, sha256 } = decision.model;
    const key = `${name}@${version}:${sha256}`;
    let specs = known.get(key);
    if (!specs) {
      specs = catalog.history(name).then((history) => {
        const registered = history.version(version)?.registered;
        return (registered && registered.servedSha256 === sha256 ? registered.manifest.features : undefined) ?? decision.features.names;
      });
      known.set(key, specs);
    }
    return specs;
  };
}

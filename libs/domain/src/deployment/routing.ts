import type { DecisionRequest } from '../decision-request';
import type { RoutingKey } from './deployment-events';

/** Routing splits keys into this many buckets; a traffic percentage with two decimals is a whole number of them. */
export const ROUTING_BUCKETS = 10_000;

/**
 * Sticky bucket of a routing key under one deployment: FNV-1a over the deployment id and the key, then murmur3's
 * finaliser so that similar keys (card-1, card-2, …) spread evenly. The same key and deployment always give the same
 * bucket; a new deployment (a new id) splits the keys afresh.
 */
export function routingBucket(deploymentId: string, key: string): number {
  let h = 0x811c9dc5;
  const feed = (s: string): void => {
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
  };
  feed(deploymentId);
  feed('\u001f'); // a separator, so ("ab", "c") and ("a", "bc") differ
  feed(key);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) % ROUTING_BUCKETS;
}

/** Buckets [0, threshold) go to the challenger: raising the percentage only adds buckets, so a key never moves back. */
export const bucketThreshold = (trafficPercent: number): number => Math.round(trafficPercent * 100);

export const routingKeyValue = (request: DecisionRequest, key: RoutingKey): string | undefined => request[key];

export interface Route {
  /** Which arm decides. */
  readonly arm: 'champion' | 'challenger';
  /** The request's bucket under the challenger's deployment; null without a challenger or without a key value. */
  readonly bucket: number | null;
  /** In shadow mode: whether the challenger also scores this request. */
  readonly shadow: boolean;
}

export const CHAMPION_ONLY: Route = Object.freeze({ arm: 'champion', bucket: null, shadow: false });

/**
 * Where a request goes. A request without a value for the routing key (e.g. no customerId) stays with the champion:
 * it cannot be routed stickily.
 */
export function routeRequest(
  challenger: { readonly deploymentId: string; readonly mode: 'canary' | 'shadow'; readonly trafficPercent: number; readonly routingKey: RoutingKey } | null,
  request: DecisionRequest,
): Route {
  if (challenger === null) return CHAMPION_ONLY;
  const key = routingKeyValue(request, challenger.routingKey);
  if (key === undefined) return CHAMPION_ONLY;
  const bucket = routingBucket(challenger.deploymentId, key);
  const selected = bucket < bucketThreshold(challenger.trafficPercent);
  if (challenger.mode === 'shadow') return { arm: 'champion', bucket, shadow: selected };
  return { arm: selected ? 'challenger' : 'champion', bucket, shadow: false };
}

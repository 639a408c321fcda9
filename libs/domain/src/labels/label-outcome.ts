import { canonicalJson } from '../canonical-json';
import type { LabelRequest } from './label-request';
import type { TransactionLabelled } from './transaction-labelled.event';

/**
 * What recording a label comes to, given the labels its transaction already has (pure: the caller read the stream).
 * - `new`: append it;
 * - `repeat`: the same labelId with the same content is already recorded: answer with it, append nothing;
 * - `conflict`: the same labelId with other content: a label is immutable, refuse.
 */
export type LabelOutcome =
  | { readonly kind: 'new' }
  | { readonly kind: 'repeat'; readonly existing: TransactionLabelled }
  | { readonly kind: 'conflict'; readonly existing: TransactionLabelled };

/** The fields that make a label what it is (not who recorded it, nor its ids). */
const content = (l: LabelRequest | TransactionLabelled): string =>
  canonicalJson({ label: l.label, source: l.source, reportedAt: new Date(l.reportedAt).toISOString(), amount: l.amount ?? null, note: l.note ?? null });

export function labelOutcome(request: LabelRequest, recorded: readonly TransactionLabelled[]): LabelOutcome {
  const existing = recorded.find((l) => l.labelId === request.labelId);
  if (existing === undefined) return { kind: 'new' };
  return content(existing) === content(request) ? { kind: 'repeat', existing } : { kind: 'conflict', existing };
}

/**
 * The label in force for a transaction as known at `asOf`: the one with the latest reportedAt at or before it (ties
 * go to the later in the stream). Null when none had been reported by then.
 */
export function labelAsOf(labels: readonly TransactionLabelled[], asOf: Date): TransactionLabelled | null {
  let best: TransactionLabelled | null = null;
  let bestAt = -Infinity;
  for (const l of labels) {
    const at = Date.parse(l.reportedAt);
    if (at <= asOf.getTime() && at >= bestAt) {
      best = l;
      bestAt = at;
    }
  }
  return best;
}

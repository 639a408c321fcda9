import type { DecisionRequest } from '../decision-request';
import { HISTORY_WINDOWS, type HistoryWindow } from './history-windows';
import { HISTORY_ENTITIES, HISTORY_ENTITY_KINDS, type HistoryEntityKind, type HistoryView } from './history-state';

/**
 * One model input computed from the history of the entities a request names, as the state holds it when the
 * request is scored (before its own transaction is applied). Defined once, here: training, serving, replay and
 * backtests compute it through the same code.
 */
export interface HistoryFeatureDefinition {
  readonly name: string;
  readonly description: string;
  compute(history: HistoryView, request: DecisionRequest, atMs: number): number;
}

/** The value of an entity's features when the request does not name one (no device id sent, say). */
export const NOT_SENT = -1;

const SECONDS_PER_DAY = 86_400;

function windowFeatures(kind: HistoryEntityKind, w: HistoryWindow): HistoryFeatureDefinition[] {
  const field = HISTORY_ENTITIES[kind];
  const span = `the last ${w.name} (${w.buckets} buckets of ${w.bucketMs / 60_000} min, the current one included)`;
  return [
    {
      name: `${kind}_count_${w.name}`,
      description: `Transactions of this ${kind} (request.${field}) in ${span}, before this one; ${NOT_SENT} when the request names no ${kind}.`,
      compute: (h, r, at) => {
        const id = r[field];
        return id === undefined ? NOT_SENT : (h.entity(kind, id)?.window(w, at).count ?? 0);
      },
    },
    {
      name: `${kind}_amount_${w.name}`,
      description: `Sum of the amounts of those transactions; ${NOT_SENT} when the request names no ${kind}.`,
      compute: (h, r, at) => {
        const id = r[field];
        return id === undefined ? NOT_SENT : (h.entity(kind, id)?.window(w, at).sum ?? 0);
      },
    },
  ];
}

function entityFeatures(kind: HistoryEntityKind): HistoryFeatureDefinition[] {
  const field = HISTORY_ENTITIES[kind];
  return [
    ...HISTORY_WINDOWS.flatMap((w) => windowFeatures(kind, w)),
    {
      name: `${kind}_seconds_since_last`,
      description: `Seconds since this ${kind}'s latest transaction before this one (0 if that one occurred later); ${NOT_SENT} when it has none or the request names no ${kind}.`,
      compute: (h, r, at) => {
        const id = r[field];
        const e = id === undefined ? undefined : h.entity(kind, id);
        return e === undefined ? NOT_SENT : Math.max(0, at - e.lastAt) / 1000;
      },
    },
    {
      name: `${kind}_age_days`,
      description: `Days since this ${kind} was first seen (its earliest transaction held); 0 when it is new, ${NOT_SENT} when the request names no ${kind}.`,
      compute: (h, r, at) => {
        const id = r[field];
        if (id === undefined) return NOT_SENT;
        const e = h.entity(kind, id);
        return e === undefined ? 0 : Math.max(0, at - e.firstAt) / 1000 / SECONDS_PER_DAY;
      },
    },
  ];
}

const DAY_30 = HISTORY_WINDOWS.find((w) => w.name === '30d') as HistoryWindow;
const LABEL_WINDOW_MS = 28 * SECONDS_PER_DAY * 1000;

const CARD_FEATURES: HistoryFeatureDefinition[] = [
  {
    name: 'card_amount_to_mean_30d',
    description: `This amount divided by the mean amount of the card's transactions in the last 30d; ${NOT_SENT} when it has none (or their mean is 0).`,
    compute: (h, r, at) => {
      const w = h.entity('card', r.cardId)?.window(DAY_30, at);
      return w === undefined || w.count === 0 || w.sum === 0 ? NOT_SENT : r.amount / (w.sum / w.count);
    },
  },
  {
    name: 'card_declines_24h',
    description: "The card's transactions declined by Verdict in the last 24h (24 one-hour buckets, the current one included).",
    compute: (h, r, at) => h.card(r.cardId)?.declines24h(at) ?? 0,
  },
  {
    name: 'card_distinct_merchants_24h',
    description: 'Distinct terminals (merchantId) the card was used at in the last 24h, before this transaction (saturates at 256).',
    compute: (h, r, at) => h.card(r.cardId)?.distinctMerchants24h(at) ?? 0,
  },
  {
    name: 'card_distinct_countries_24h',
    description: 'Distinct countries of the card\'s transactions in the last 24h that named one, before this transaction (saturates at 64).',
    compute: (h, r, at) => h.card(r.cardId)?.distinctCountries24h(at) ?? 0,
  },
];

const MERCHANT_FEATURES: HistoryFeatureDefinition[] = [
  {
    name: 'merchant_fraud_labels_28d',
    description:
      "Transactions at this terminal (request.merchantId) whose label in force at this transaction's occurredAt says fraud, " +
      'reported in the 28 days before it: a label counts from its reportedAt, as known at decision time, and a later ' +
      '"legitimate" label retracts it from its own reportedAt (saturates at 1,024 labels per terminal).',
    compute: (h, r, at) => h.fraudReports(r.merchantId)?.fraudAt(at, LABEL_WINDOW_MS) ?? 0,
  },
];

/** Every history feature, in a stable documentation order (models choose their own column order). */
export const HISTORY_FEATURES: readonly HistoryFeatureDefinition[] = Object.freeze([...HISTORY_ENTITY_KINDS.flatMap(entityFeatures), ...CARD_FEATURES, ...MERCHANT_FEATURES]);

const HISTORY_BY_NAME: ReadonlyMap<string, HistoryFeatureDefinition> = new Map(HISTORY_FEATURES.map((f) => [f.name, f]));

/** The history feature named `name`, or undefined. */
export function findHistoryFeature(name: string): HistoryFeatureDefinition | undefined {
  return HISTORY_BY_NAME.get(name);
}

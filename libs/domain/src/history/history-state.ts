import type { DecisionRequest } from '../decision-request';
import type { Outcome } from '../decision-made.event';
import { BoundedMap } from '../bounded-map';
import { CardHistory } from './card-history';
import { EntityHistory } from './entity-history';
import { FraudReports } from './fraud-reports';

/** The kinds of entity whose history is kept, and the request field that names each. */
export const HISTORY_ENTITIES = Object.freeze({
  card: 'cardId',
  customer: 'customerId',
  merchant: 'merchantId',
  device: 'deviceId',
  ip: 'ip',
} as const satisfies Record<string, keyof DecisionRequest>);

export type HistoryEntityKind = keyof typeof HISTORY_ENTITIES;
export const HISTORY_ENTITY_KINDS = Object.freeze(Object.keys(HISTORY_ENTITIES) as HistoryEntityKind[]);

/** What the features read: an entity's history, if it is held. */
export interface HistoryView {
  entity(kind: HistoryEntityKind, id: string): EntityHistory | undefined;
  card(cardId: string): CardHistory | undefined;
  /** The labels of a terminal's transactions, if it has any. */
  fraudReports(merchantId: string): FraudReports | undefined;
}

/** What the history reads of a TransactionLabelled. */
export interface HistoryLabel {
  readonly transactionId: string;
  /** Absent on labels recorded before TransactionLabelled version 2: those are not attributed to a terminal. */
  readonly merchantId?: string;
  readonly label: 'fraud' | 'legitimate';
  readonly reportedAt: string;
}

/**
 * The history of every entity, built by applying the log's decisions strictly in log order: the state is always a
 * function of a prefix of the log (through `appliedThrough`), which is what lets any decision's history features be
 * recomputed exactly from the log as of the position it recorded.
 *
 * Memory is bounded by `maxEntities` per kind. When a decision brings a kind over it, the entity least recently
 * touched by a decision (in log order) is forgotten, wholly: a card seen again later starts a new history. Terminals'
 * labels are bounded the same way, by the terminal least recently labelled. The rule depends only on the log and the
 * bound, so a recomputation with the same bound forgets the same entities.
 */
export class HistoryState implements HistoryView {
  private readonly entities: Map<HistoryEntityKind, BoundedMap<string, EntityHistory>>;
  private readonly labels: BoundedMap<string, FraudReports>;
  /**
   * Subject keys destroyed by erasures, each with the card and customer ids its erasure forgot: a decision sealed
   * under one of them and logged later must not bring those back. One entry per erased key (erasures are rare), kept
   * for the state's life, outside the `maxEntities` bound.
   */
  private readonly erasedKeys = new Map<string, { readonly card: ReadonlySet<string>; readonly customer: ReadonlySet<string> }>();
  private through = 0n;

  constructor(readonly maxEntities: number) {
    if (!Number.isInteger(maxEntities) || maxEntities < 1) throw new RangeError(`maxEntities must be a whole number ≥ 1, got ${maxEntities}`);
    this.labels = new BoundedMap(maxEntities);
    this.entities = new Map(HISTORY_ENTITY_KINDS.map((k) => [k, new BoundedMap<string, EntityHistory>(maxEntities)]));
  }

  /** The global log position through which decisions have been applied (0: none). */
  get appliedThrough(): bigint {
    return this.through;
  }

  /** Entities held of one kind. */
  size(kind: HistoryEntityKind): number {
    return (this.entities.get(kind) as BoundedMap<string, EntityHistory>).size;
  }

  entity(kind: HistoryEntityKind, id: string): EntityHistory | undefined {
    return this.entities.get(kind)?.get(id);
  }

  card(cardId: string): CardHistory | undefined {
    return this.entities.get('card')?.get(cardId) as CardHistory | undefined;
  }

  fraudReports(merchantId: string): FraudReports | undefined {
    return this.labels.get(merchantId);
  }

  /** Terminals whose labels are held. */
  get labelledMerchants(): number {
    return this.labels.size;
  }

  /**
   * Applies the label at `position` to its terminal's reports. A "legitimate" label matters only where it can retract
   * a fraud label held for the same transaction; a label without a terminal (version 1) cannot be attributed.
   */
  applyLabel(position: bigint, label: HistoryLabel): void {
    if (position <= this.through) return;
    this.through = position;
    if (label.merchantId === undefined) return;
    const fraud = label.label === 'fraud';
    const existing = this.labels.get(label.merchantId);
    if (!fraud && !existing?.has(label.transactionId)) return;
    touch(this.labels, label.merchantId, () => new FraudReports()).add(label.transactionId, Date.parse(label.reportedAt), fraud);
  }

  /**
   * Applies the decision at `position`: its transaction joins the history of each entity it names (the card's with
   * its terminal, country and outcome). A position at or before `appliedThrough` was applied already: nothing changes.
   * A decision sealed under an erased subject key (`keyId`; made by an instance that had not seen the erasure yet)
   * does not join the card or customer that erasure forgot: they stay forgotten. Everything else it names it joins.
   */
  applyDecision(position: bigint, request: DecisionRequest, outcome: Outcome, keyId?: string): void {
    if (position <= this.through) return;
    this.through = position;
    const at = Date.parse(request.occurredAt);
    const forgotten = keyId === undefined ? undefined : this.erasedKeys.get(keyId);
    if (!forgotten?.card.has(request.cardId)) {
      const card = touch(this.entities.get('card') as BoundedMap<string, EntityHistory>, request.cardId, () => new CardHistory()) as CardHistory;
      card.addCardTransaction(at, request.amount, request.merchantId, request.country, outcome === 'decline');
    }
    for (const kind of HISTORY_ENTITY_KINDS) {
      const id = kind === 'card' ? undefined : request[HISTORY_ENTITIES[kind]];
      if (kind === 'customer' && id !== undefined && forgotten?.customer.has(id)) continue;
      if (id !== undefined) touch(this.entities.get(kind) as BoundedMap<string, EntityHistory>, id, () => new EntityHistory()).add(at, request.amount);
    }
  }

  /**
   * Applies an erasure at `position` (SubjectErased): the subject's cards and customer are forgotten, wholly, as an
   * evicted entity is; a card seen again later starts a new history. Devices and IPs are shared and stay. Decisions
   * sealed under `keyIds` that come later in the log do not bring them back (applyDecision).
   */
  forget(position: bigint, entities: { readonly card: readonly string[]; readonly customer: readonly string[] }, keyIds: readonly string[] = []): void {
    if (position <= this.through) return;
    this.through = position;
    const forgotten = { card: new Set(entities.card), customer: new Set(entities.customer) };
    for (const keyId of keyIds) this.erasedKeys.set(keyId, forgotten);
    for (const id of entities.card) (this.entities.get('card') as BoundedMap<string, EntityHistory>).delete(id);
    for (const id of entities.customer) (this.entities.get('customer') as BoundedMap<string, EntityHistory>).delete(id);
  }

  /** Moves the position on past an event that holds no decision (a label, a deployment…). */
  skip(position: bigint): void {
    if (position > this.through) this.through = position;
  }
}

/** The entity's history, made the newest entry of its BoundedMap: the least recently touched goes first. */
function touch<T>(map: BoundedMap<string, T>, id: string, create: () => T): T {
  const history = map.get(id) ?? create();
  map.set(id, history);
  return history;
}

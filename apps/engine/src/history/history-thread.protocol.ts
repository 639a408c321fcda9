/** Messages between the engine's main thread (HistoryThread) and its history thread (history.worker.ts). */
import type { DecisionRequest } from '@verdict/domain';
import type { EventStoreSelection } from '@verdict/event-store';

export interface HistoryThreadData {
  readonly eventStore: EventStoreSelection;
  readonly maxEntities: number;
  /** Least time between two reports of the position applied. */
  readonly reportIntervalMs: number;
  /**
   * Longest an ask waits for the state to reach its `through` position; it is then answered from the state as it stands
   * (a log prefix all the same, recorded as the decision's featuresAsOf).
   */
  readonly waitLimitMs: number;
}

/** One request's history features, by name: what one model's columns need. */
export interface HistoryAsk {
  readonly request: DecisionRequest;
  readonly names: readonly string[];
}

export type ToHistoryThread =
  /**
   * Answered once the state has applied the log through `through` (inclusive): the position of the last commit this
   * instance had acknowledged when it asked (docs/features.md, "what a decision sees"). Never lower than an earlier
   * ask's.
   */
  | { readonly type: 'values'; readonly id: number; readonly through: bigint; readonly asks: readonly HistoryAsk[] }
  | { readonly type: 'stop' };

export type FromHistoryThread =
  /** Subscribed from the start of the log; `head` was the log's head just before: caught up once applied through it. */
  | { readonly type: 'started'; readonly head: bigint }
  | { readonly type: 'applied'; readonly through: bigint; readonly cards: number }
  /** Every ask's values, in order, all from the state applied through `asOf`. */
  | { readonly type: 'values'; readonly id: number; readonly asOf: bigint; readonly values: number[][] }
  | { readonly type: 'values-failed'; readonly id: number; readonly message: string }
  /** The store stopped answering: the state stays as it is (a log prefix) and the thread subscribes again. */
  | { readonly type: 'interrupted'; readonly message: string }
  /** Subscribed again after an interruption, from where the state stands. */
  | { readonly type: 'resumed' }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'stopped' };

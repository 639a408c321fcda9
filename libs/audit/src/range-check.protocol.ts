import type { SealHeader } from '@verdict/domain/audit';
import type { EventStoreSelection } from '@verdict/event-store';
import type { RangeResult } from './range-checker';

/** What a range-check thread is started with: the store to open (its own connection). */
export interface RangeCheckWorkerData {
  readonly store: EventStoreSelection;
  /** Steps below its parent's priority the thread runs at once its store is open (0: the same; see lowerThreadPriority). */
  readonly backgroundNice: number;
}

export type ToRangeCheckWorker = { readonly type: 'check'; readonly id: number; readonly header: SealHeader; readonly entries: string } | { readonly type: 'close' };

export type FromRangeCheckWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'result'; readonly id: number; readonly result: RangeResult }
  | { readonly type: 'error'; readonly id: number | null; readonly message: string }
  | { readonly type: 'closed' };

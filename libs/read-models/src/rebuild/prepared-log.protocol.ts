import type { EventStoreSelection } from '@verdict/event-store';
import type { PreparedParts, ReadModelOptions } from '../projections/read-model-projections';
import type { ReadModelDialect } from '../sql-dialect';

/** What the prepared-log worker is started with: where to read, and how to build the projections it prepares for. */
export interface PreparedLogWorkerData {
  readonly store: EventStoreSelection;
  readonly readModels: ReadModelOptions;
  readonly dialect: ReadModelDialect;
  /**
   * Events per page read and prepared. Small enough that a page's parsed events die young (garbage collection cost
   * 25 % of this thread with pages of 5,000); the writer commits several pages at once.
   */
  readonly pageSize: number;
  /** Pages the worker may run ahead of the writer. */
  readonly pagesAhead: number;
}

export type FromPreparedLogWorker =
  | { readonly type: 'page'; readonly prepared: PreparedParts; readonly last: bigint; readonly applied: number }
  | { readonly type: 'end' }
  | { readonly type: 'error'; readonly message: string };

/** `next`: the writer took a page, so the worker may read one more. */
export type ToPreparedLogWorker = { readonly type: 'next' } | { readonly type: 'close' };

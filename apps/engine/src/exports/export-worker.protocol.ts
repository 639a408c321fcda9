/**
 * Messages between an export's stream on the main thread (export-thread.ts) and its thread (export.worker.ts).
 * Positions travel as bigint and dates as Date (structured clone keeps both).
 */
import type { VerdictConfig } from '@verdict/config';
import type { EventStoreSelection } from '@verdict/event-store';
import type { SealRef } from '../audit/seal-index.port';
import type { ExportSelection } from './export-chunks';

export interface ExportWorkerData {
  readonly eventStore: EventStoreSelection;
  /** The thread opens its own subject vault from it (the master key file must exist: the engine made it at start). */
  readonly privacy: VerdictConfig['privacy'];
  readonly selection: ExportSelection;
  /** Chunks the thread may send before it waits for `more`: how far it reads ahead of the client. */
  readonly credit: number;
  /** Steps below the request path this thread runs at (VERDICT_BACKGROUND_NICE): an export may take longer, decisions not. */
  readonly backgroundNice: number;
}

export type ToExportWorker =
  /** The consumer wants another chunk. */
  | { readonly type: 'more' }
  /** The seals after the position the thread asked from, up to sealedThrough; `final`: no seal index, never ask again. */
  | { readonly type: 'seals'; readonly refs: SealRef[]; readonly sealedThrough: bigint; readonly final: boolean }
  | { readonly type: 'stop' };

export type FromExportWorker =
  | { readonly type: 'chunk'; readonly text: string }
  /** The thread reached positions past the seals it knows: send those after `after`. */
  | { readonly type: 'seals'; readonly after: bigint }
  | { readonly type: 'end' }
  | { readonly type: 'failed'; readonly message: string };

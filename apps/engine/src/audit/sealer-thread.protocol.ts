import type { EventStoreSelection } from '@verdict/event-store';

/** What the sealer thread is started with: its own connection to the store, and the key file to sign with. */
export interface SealerWorkerData {
  readonly eventStore: EventStoreSelection;
  readonly keyPath: string;
  readonly intervalMs: number;
  readonly maxEvents: number;
  /** Steps below the request path this thread runs at (VERDICT_BACKGROUND_NICE): seals may lag, decisions not. */
  readonly backgroundNice: number;
}

/** Stop; with `finalSealMs`, first seal what is pending, for at most that long (a clean stop of the engine). */
export type ToSealerWorker = { readonly type: 'stop'; readonly finalSealMs?: number };

export type FromSealerWorker =
  | { readonly type: 'started' }
  | { readonly type: 'log'; readonly level: 'info' | 'error'; readonly obj: Record<string, unknown>; readonly msg: string }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'stopped' };

/**
 * Messages between ReplayService's threads (replay-threads.ts) and a replay thread (replay.worker.ts). Positions
 * travel as bigint (structured clone keeps them).
 */
import type { ArtifactStoreSelection } from '@verdict/artifact-store';
import type { ReplayReport, ReplaySelection } from '@verdict/domain';
import type { EventStoreSelection } from '@verdict/event-store';

export interface ReplayWorkerData {
  readonly eventStore: EventStoreSelection;
  readonly artifactStore: ArtifactStoreSelection;
  readonly selection: ReplaySelection;
  /** This thread's share of the log: positions (startAfter, endAt]. */
  readonly startAfter: bigint | undefined;
  readonly endAt: bigint;
  /** Steps below the request path this thread runs at (VERDICT_BACKGROUND_NICE): a replay may take longer, decisions not. */
  readonly backgroundNice: number;
}

export type ToReplayWorker = { readonly type: 'stop' };

export type FromReplayWorker =
  | { readonly type: 'progress'; readonly done: number }
  | { readonly type: 'done'; readonly report: ReplayReport }
  | { readonly type: 'failed'; readonly message: string };

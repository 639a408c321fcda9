import type { ReplayReport } from './replay-report';
import type { ReplaySelection } from './replay-request';

/** Event type names are part of the stored format: never rename one. Documented in docs/events.md. */
export const REPLAY_REQUESTED = 'ReplayRequested' as const;
export const REPLAY_COMPLETED = 'ReplayCompleted' as const;
export const REPLAY_FAILED = 'ReplayFailed' as const;

export const REPLAY_STREAM_PREFIX = 'replay-';
/** An auditor's replay is auditable too: its request and its outcome are on their own stream. */
export const replayStreamId = (replayId: string): string => `${REPLAY_STREAM_PREFIX}${replayId}`;

export interface ReplayRequestedV1 {
  readonly schemaVersion: 1;
  readonly replayId: string;
  readonly selection: ReplaySelection;
  readonly requestedAt: string;
  readonly actor: string;
}

export interface ReplayCompletedV1 {
  readonly schemaVersion: 1;
  readonly replayId: string;
  readonly completedAt: string;
  /** sha256 (hex) of the report's canonical JSON: the report can be handed on and checked against the log. */
  readonly reportSha256: string;
  readonly report: ReplayReport;
  readonly durationMs: number;
}

export interface ReplayFailedV1 {
  readonly schemaVersion: 1;
  readonly replayId: string;
  readonly failedAt: string;
  readonly error: string;
  /** Decisions replayed before the failure. */
  readonly done: number;
}

import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { VerdictConfig } from '@verdict/config';
import {
  newEventId,
  canonicalJson,
  REPLAY_COMPLETED,
  REPLAY_FAILED,
  REPLAY_REQUESTED,
  replaySelection,
  replayStreamId,
  sha256Hex,
  type ReplayCompletedV1,
  type ReplayFailedV1,
  type ReplayReport,
  type ReplayRequest,
  type ReplayRequestedV1,
  type ReplaySelection,
} from '@verdict/domain';
import { NO_STREAM, STREAM_EXISTS, type EventStore } from '@verdict/event-store';
import type { DecisionRangeQueries } from '@verdict/read-models';
import { replayOnThreads, type ThreadedReplay } from './replay-threads';

export type ReplayStatus = 'running' | 'completed' | 'failed';

export interface ReplayState {
  readonly replayId: string;
  readonly status: ReplayStatus;
  readonly selection: ReplaySelection;
  readonly requestedAt: string;
  readonly actor: string;
  /** `total` is sized from the read model when the replay starts (null when another instance runs it). */
  readonly progress: { readonly done: number; readonly total: number | null };
  readonly completedAt?: string;
  readonly reportSha256?: string;
  readonly durationMs?: number;
  readonly report?: ReplayReport;
  readonly error?: string;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Runs replays one at a time on this instance (a replay is CPU work beside live decisions) and records each on its
 * own stream: ReplayRequested when accepted, then ReplayCompleted with the report and its hash, or ReplayFailed.
 * Any instance answers for any replay from that stream; the one running it also knows its progress.
 */
export class ReplayService {
  private readonly jobs = new Map<string, Mutable<ReplayState>>();
  private queue: Promise<void> = Promise.resolve();
  private stopping = false;
  private running: ThreadedReplay | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly config: Pick<VerdictConfig, 'eventStore' | 'artifactStore' | 'threads'>,
    private readonly ranges: Pick<DecisionRangeQueries, 'positionRange'>,
    private readonly log: Logger,
    /** Threads one replay runs on (each replays a consecutive share of the log). */
    private readonly threads: number,
    /** A card id filter as the log holds it (its pseudonym): the selection is recorded and compared in that form. */
    private readonly cardIdInLog: (cardId: string) => string = (cardId) => cardId,
  ) {}

  /** Records the request (durably, before answering) and queues the run. */
  async request(request: ReplayRequest, actor: string): Promise<ReplayState> {
    const replayId = randomUUID();
    const given = replaySelection(request);
    const cardId = given.filter?.cardId;
    const selection = cardId === undefined ? given : { ...given, filter: { ...given.filter, cardId: this.cardIdInLog(cardId) } };
    const requestedAt = new Date().toISOString();
    const event: ReplayRequestedV1 = { schemaVersion: 1, replayId, selection, requestedAt, actor };
    await this.store.appendToStream(replayStreamId(replayId), [{ id: newEventId(), type: REPLAY_REQUESTED, data: { ...event } }], { expectedRevision: NO_STREAM });
    const job: Mutable<ReplayState> = { replayId, status: 'running', selection, requestedAt, actor, progress: { done: 0, total: null } };
    this.jobs.set(replayId, job);
    this.queue = this.queue.then(() => this.run(job, request));
    return { ...job };
  }

  /** The replay as this instance knows it, else as its stream tells it; null when there is no such replay. */
  async state(replayId: string): Promise<ReplayState | null> {
    const job = this.jobs.get(replayId);
    if (job && job.status === 'running') return { ...job, progress: { ...job.progress } };
    const events = await this.store.readStream(replayStreamId(replayId));
    const requested = events.find((e) => e.type === REPLAY_REQUESTED)?.data as ReplayRequestedV1 | undefined;
    if (!requested) return null;
    const base = { replayId, selection: requested.selection, requestedAt: requested.requestedAt, actor: requested.actor };
    const completed = events.find((e) => e.type === REPLAY_COMPLETED)?.data as ReplayCompletedV1 | undefined;
    if (completed) {
      const total = completed.report.counts.decisions;
      return { ...base, status: 'completed', progress: { done: total, total }, completedAt: completed.completedAt, reportSha256: completed.reportSha256, durationMs: completed.durationMs, report: completed.report };
    }
    const failed = events.find((e) => e.type === REPLAY_FAILED)?.data as ReplayFailedV1 | undefined;
    if (failed) return { ...base, status: 'failed', progress: { done: failed.done, total: null }, completedAt: failed.failedAt, error: failed.error };
    return { ...base, status: 'running', progress: { done: 0, total: null } };
  }

  /** Ends the running replay (recorded as failed: the engine shut down) and waits for it. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.running?.stop();
    await this.queue;
  }

  private async run(job: Mutable<ReplayState>, request: ReplayRequest): Promise<void> {
    const started = Date.now();
    try {
      if (this.stopping) throw new Error('the engine shut down before the replay started');
      const head = await this.store.headPosition();
      const endAt = request.toPosition !== undefined && request.toPosition < head ? request.toPosition : head;
      const { from, to, filter } = request;
      const range = await this.ranges.positionRange(
        { from: from === undefined ? undefined : new Date(from), to: to === undefined ? undefined : new Date(to), outcome: filter?.outcome, cardId: filter?.cardId },
        { fromPosition: request.fromPosition, toPosition: endAt, modelSha256: filter?.modelSha256 },
      );
      job.progress = { done: 0, total: range.count };
      // The read model only narrows where reading starts: it holds every decision up to its checkpoint, so the first
      // it selects is the first there is, and with none selected nothing up to the checkpoint needs reading.
      const floor = request.fromPosition !== undefined && request.fromPosition > 0n ? request.fromPosition - 1n : undefined;
      const hint = range.first !== null ? range.first - 1n : range.projectedThrough > 0n ? range.projectedThrough : undefined;
      const startAfter = hint === undefined || (floor !== undefined && floor > hint) ? floor : hint;
      this.running = replayOnThreads({ eventStore: this.config.eventStore, artifactStore: this.config.artifactStore, backgroundNice: this.config.threads.backgroundNice, selection: job.selection }, { startAfter, endAt }, this.threads, (done) => {
        job.progress = { done, total: Math.max(done, job.progress.total ?? 0) };
      });
      const report = await this.running.report;
      const completed: ReplayCompletedV1 = {
        schemaVersion: 1,
        replayId: job.replayId,
        completedAt: new Date().toISOString(),
        reportSha256: sha256Hex(canonicalJson(report)),
        report,
        durationMs: Date.now() - started,
      };
      await this.store.appendToStream(replayStreamId(job.replayId), [{ id: newEventId(), type: REPLAY_COMPLETED, data: { ...completed } }], { expectedRevision: STREAM_EXISTS });
      Object.assign(job, { status: 'completed', progress: { done: report.counts.decisions, total: report.counts.decisions }, completedAt: completed.completedAt, reportSha256: completed.reportSha256, durationMs: completed.durationMs, report });
    } catch (error) {
      await this.fail(job, error);
    } finally {
      this.running = undefined;
    }
  }

  private async fail(job: Mutable<ReplayState>, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    this.log.error({ err: error, replayId: job.replayId }, 'replay failed');
    const failed: ReplayFailedV1 = { schemaVersion: 1, replayId: job.replayId, failedAt: new Date().toISOString(), error: message, done: job.progress.done };
    try {
      await this.store.appendToStream(replayStreamId(job.replayId), [{ id: newEventId(), type: REPLAY_FAILED, data: { ...failed } }], { expectedRevision: STREAM_EXISTS });
    } catch (appendError) {
      // The store itself is failing: the stream keeps saying "running"; this instance says failed until it stops.
      this.log.error({ err: appendError, replayId: job.replayId }, 'recording the replay failure failed');
    }
    Object.assign(job, { status: 'failed', completedAt: failed.failedAt, error: message });
  }
}

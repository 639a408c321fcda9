import { AsyncResource } from 'node:async_hooks';
import type { Logger } from 'pino';
import {
  DEPLOYMENT_STREAM,
  evolveDeployment,
  INITIAL_DEPLOYMENT_STATE,
  isDeploymentEventType,
  type DeploymentEvent,
  type DeploymentState,
} from '@verdict/domain';
import type { EventStore, RecordedEvent } from '@verdict/event-store';
import type { DeploymentRuntime } from './deployment-runtime';

export interface AppliedDeploymentEvent {
  readonly event: DeploymentEvent;
  /** Global log position (the canary analysis reads decisions from here on). */
  readonly position: bigint;
}

/** How often the stream is read for changes made by other instances. */
export const DEPLOYMENT_POLL_MS = 200;

/**
 * Follows `deployment-decisions`, so a change made on any instance is in force here within a poll interval: each new
 * event is folded into the state, and the DeploymentRuntime loads and swaps to it. A change made on this instance is
 * applied at once (applyOwn) without waiting for the next read.
 *
 * It reads the stream itself (one indexed point read every DEPLOYMENT_POLL_MS) instead of subscribing to the global
 * log: a filtered subscription is woken by every commit, so under decision load it would scan the new decisions many
 * times a second on the main thread to find, almost always, nothing.
 */
export class DeploymentFollower {
  private state: DeploymentState = INITIAL_DEPLOYMENT_STATE;
  private readonly applied: AppliedDeploymentEvent[] = [];
  private loop: Promise<void> | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;
  private failure: Error | undefined;
  private listeners = new Set<(state: DeploymentState) => void>();
  private readonly background = new AsyncResource('verdict.deployment-follower');

  constructor(
    private readonly store: EventStore,
    private readonly runtime: DeploymentRuntime,
    private readonly log: Logger,
    private readonly pollMs = DEPLOYMENT_POLL_MS,
  ) {}

  /** Reads the whole stream, applies the state it ends in (loading only the sessions that state needs), then follows. */
  async start(): Promise<void> {
    await this.catchUp();
    await this.applyLatest();
    this.loop = this.follow();
  }

  /** The latest state this instance knows of (possibly still loading: see DeploymentRuntime for what is in force). */
  latest(): DeploymentState {
    return this.state;
  }

  /** Every event applied so far, with its position. */
  history(): readonly AppliedDeploymentEvent[] {
    return this.applied;
  }

  /** Why the last state could not be applied, if it could not (readiness reports it). */
  get lastError(): Error | undefined {
    return this.failure;
  }

  onChange(listener: (state: DeploymentState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reads the events this instance has not applied yet, straight from the stream (each poll, and before a change). */
  async catchUp(): Promise<void> {
    const events = await this.store.readStream(DEPLOYMENT_STREAM, { fromRevision: BigInt(this.state.revision) });
    for (const e of events) this.ingest(e);
  }

  /** Applies a change this instance has just appended; resolves once it is in force here. */
  async applyOwn(recorded: RecordedEvent): Promise<void> {
    if (Number(recorded.revision) + 1 === this.state.revision + 1) this.ingest(recorded);
    else await this.catchUp(); // another instance's change landed in between: read them in order
    await this.applyLatest();
  }

  /**
   * Brings the runtime to the latest known state. Read when the apply runs, not when it is queued, so a burst of
   * events loads only the sessions of the state it ends in.
   */
  applyLatest(): Promise<void> {
    const run = this.runtime.apply(() => this.state);
    run.then(
      () => (this.failure = undefined),
      (error: Error) => {
        this.failure = error;
        this.log.error({ err: error, revision: this.state.revision }, 'cannot apply the deployment; still deciding with the previous one');
      },
    );
    return run;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  private ingest(recorded: RecordedEvent): void {
    if (!isDeploymentEventType(recorded.type)) return;
    const revision = Number(recorded.revision) + 1;
    if (revision <= this.state.revision) return; // delivered twice (catch-up and subscription): applied once
    if (revision !== this.state.revision + 1) {
      throw new Error(`deployment stream gap: at revision ${this.state.revision}, received ${revision}`);
    }
    const event = { type: recorded.type, data: recorded.data } as unknown as DeploymentEvent;
    this.state = evolveDeployment(this.state, event);
    this.applied.push({ event, position: recorded.position });
    // In the follower's own async context, not the request's that appended the change: what listeners start (the
    // canary analysis' timer) is the engine's work, and must not carry that caller into the events it appends.
    for (const listener of this.listeners) this.background.runInAsyncScope(listener, undefined, this.state);
  }

  private async follow(): Promise<void> {
    while (!this.stopped) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.pollMs);
        timer.unref();
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (this.stopped) return;
      const before = this.state.revision;
      try {
        await this.catchUp();
      } catch (error) {
        // The store is down: keep deciding with what is in force, and read again at the next interval.
        this.log.error({ err: error }, 'cannot read the deployment stream; retrying');
        continue;
      }
      if (this.state.revision !== before) void this.applyLatest().catch(() => undefined); // logged and kept in lastError
    }
  }
}

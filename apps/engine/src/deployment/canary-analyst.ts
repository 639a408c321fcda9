import type { Logger } from 'pino';
import {
  analysisEvidence,
  CHALLENGER_DEPLOYED,
  DECISION_MADE,
  judgeWindow,
  nextAnalysisAction,
  upcastDecisionMade,
  type ArmSample,
  type CanaryAnalysisSpec,
  type Challenger,
  type CheckResult,
  type DecisionMade,
  type DeploymentCommand,
} from '@verdict/domain';
import type { AllSubscription, EventStore } from '@verdict/event-store';
import { DeploymentChangeConflictError, type DeploymentChanges } from './deployment-changes';
import type { DeploymentFollower } from './deployment-follower';

export const ANALYSIS_ACTOR = 'canary-analysis';
const TICK_MS = 100;
/** While the head cannot be read, one error in this many attempts is logged (the first, then about once a minute). */
const HEAD_FAILURES_PER_LOG = 600;

interface MutableArm {
  decisions: number;
  errors: number;
  declines: number;
  latenciesMs: number[];
  scores: number[];
}
const emptyArm = (): MutableArm => ({ decisions: 0, errors: 0, declines: 0, latenciesMs: [], scores: [] });

/**
 * Judges one challenger deployment with an analysis. It reads the decisions themselves from the log (so every
 * instance sees every arm's traffic, and a restart recomputes the same checks), puts them in windows of
 * `intervalSeconds` aligned to the deployment, judges each window once it has closed, and acts through the normal
 * deployment change path with the revision it judged against: when several instances judge, exactly one change
 * lands and the others lose the expected-revision race. Windows that closed before the deployment last changed are
 * counted (failed checks accumulate) but not acted on: someone already did, or the change superseded them.
 */
export class ChallengerAnalysis {
  private readonly windows = new Map<number, { champion: MutableArm; challenger: MutableArm }>();
  private readonly checks: CheckResult[] = [];
  private nextWindow = 0;
  private subscription: AllSubscription | undefined;
  private timer: NodeJS.Timeout | undefined;
  private acting = false;
  private stopped = false;
  /**
   * The log's head when the analysis started, and how far it has read. Windows are judged only once it has read
   * through that head: a restart's catch-up turns the event loop between pages, and a window judged on part of its
   * decisions would differ from the one judged before the restart.
   */
  private startHead: bigint | undefined;
  private readThrough = 0n;
  private headPending = false;
  private headFailures = 0;
  private readonly since: number;
  private readonly intervalMs: number;
  private readonly graceMs: number;

  constructor(
    private readonly challenger: Challenger & { analysis: CanaryAnalysisSpec },
    private readonly deployedRevision: number,
    private readonly from: bigint,
    private readonly store: EventStore,
    private readonly follower: DeploymentFollower,
    private readonly changes: DeploymentChanges,
    private readonly log: Logger,
  ) {
    this.since = Date.parse(challenger.since);
    this.intervalMs = challenger.analysis.intervalSeconds * 1000;
    // Decisions committed just before a window closed may reach this subscription a little later.
    this.graceMs = Math.min(1000, this.intervalMs / 4);
  }

  get deploymentId(): string {
    return this.challenger.deploymentId;
  }

  start(): void {
    // Unfiltered, so that the position read reaches the head even when the log ends in something else than a decision.
    this.subscription = this.store.subscribeToAll({ after: this.from });
    this.readHead();
    void this.consume(this.subscription);
    this.timer = setInterval(() => void this.tick(), TICK_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.subscription?.close();
  }

  /**
   * Reads the log's head once; a failure is logged and the next tick tries again. During an outage that is ten tries a
   * second: the first failure is logged, then one in HEAD_FAILURES_PER_LOG, and the recovery.
   */
  private readHead(): void {
    if (this.headPending) return;
    this.headPending = true;
    this.store
      .headPosition()
      .then(
        (head) => {
          if (this.headFailures > 0) this.log.info({ deploymentId: this.deploymentId, failures: this.headFailures }, 'canary analysis read the log head again');
          this.headFailures = 0;
          this.startHead ??= head;
        },
        (error: unknown) => {
          if (this.headFailures++ % HEAD_FAILURES_PER_LOG === 0) {
            this.log.error({ err: error, deploymentId: this.deploymentId, failures: this.headFailures }, 'canary analysis could not read the log head');
          }
        },
      )
      .finally(() => (this.headPending = false));
  }

  private async consume(subscription: AllSubscription): Promise<void> {
    try {
      for await (const recorded of subscription) {
        if (recorded.type === DECISION_MADE) this.add(upcastDecisionMade(recorded.data));
        this.readThrough = recorded.position;
      }
    } catch (error) {
      if (!this.stopped) this.log.error({ err: error, deploymentId: this.deploymentId }, 'canary analysis lost its subscription');
    }
  }

  private add(d: DecisionMade): void {
    if (d.deployment.revision < this.deployedRevision) return;
    const index = Math.floor((Date.parse(d.decidedAt) - this.since) / this.intervalMs);
    if (index < this.nextWindow) return; // already judged: a straggler later than the grace period
    let w = this.windows.get(index);
    if (!w) this.windows.set(index, (w = { champion: emptyArm(), challenger: emptyArm() }));
    if (this.challenger.mode === 'shadow') {
      if (!d.shadow) return;
      count(w.champion, d.outcome, d.score, d.timings.totalMs);
      if (d.shadow.error !== undefined || d.shadow.outcome === undefined || d.shadow.score === undefined) w.challenger.errors++;
      else count(w.challenger, d.shadow.outcome, d.shadow.score, d.shadow.inferenceMs);
      return;
    }
    if (d.deployment.challengerError !== undefined) w.challenger.errors++;
    else count(d.deployment.arm === 'challenger' ? w.challenger : w.champion, d.outcome, d.score, d.timings.totalMs);
  }

  private async tick(): Promise<void> {
    if (this.acting || this.stopped) return;
    if (this.startHead === undefined) return this.readHead();
    if (this.readThrough < this.startHead && this.from < this.startHead) return;
    const now = Date.now();
    while (this.since + (this.nextWindow + 1) * this.intervalMs + this.graceMs <= now) {
      const index = this.nextWindow++;
      const w = this.windows.get(index) ?? { champion: emptyArm(), challenger: emptyArm() };
      this.windows.delete(index);
      const from = this.since + index * this.intervalMs;
      const check = judgeWindow(this.challenger.analysis, { from: iso(from), to: iso(from + this.intervalMs) }, w.champion as ArmSample, w.challenger as ArmSample);
      this.checks.push(check);
      const state = this.follower.latest();
      if (state.challenger?.deploymentId !== this.deploymentId) return;
      if (from + this.intervalMs <= Date.parse(state.since ?? '')) continue; // superseded by a later change: count only
      const action = nextAnalysisAction(this.challenger.analysis, state.challenger, this.checks);
      if (action.kind === 'none') continue;
      this.acting = true;
      try {
        await this.act(action.kind === 'step' ? { kind: 'set-traffic', trafficPercent: action.trafficPercent, reason: '' } : { kind: action.kind === 'promote' ? 'promote' : 'rollback-challenger', reason: '' }, state.revision);
      } finally {
        this.acting = false;
      }
      return;
    }
  }

  private async act(command: DeploymentCommand, revision: number): Promise<void> {
    const evidence = analysisEvidence(this.challenger.analysis, this.checks);
    const last = this.checks.at(-1);
    const reason =
      command.kind === 'rollback-challenger'
        ? `canary analysis: ${evidence.failedChecks} failed check(s) reached the threshold of ${evidence.threshold}; last: ${last?.failures.join(', ') || 'n/a'}`
        : command.kind === 'promote'
          ? `canary analysis: ${evidence.passedChecks} passing check(s)`
          : `canary analysis: check passed, traffic to ${(command as { trafficPercent: number }).trafficPercent}%`;
    try {
      await this.changes.change({ ...command, reason, automatic: true, evidence } as DeploymentCommand, { actor: ANALYSIS_ACTOR, ifMatch: revision });
      this.log.info({ deploymentId: this.deploymentId, action: command.kind, evidence: { failed: evidence.failedChecks, passed: evidence.passedChecks } }, reason);
    } catch (error) {
      // Another instance acted first, or an operator changed the deployment: both supersede this verdict.
      if (!(error instanceof DeploymentChangeConflictError)) this.log.error({ err: error, deploymentId: this.deploymentId }, 'canary analysis could not act');
    }
  }
}

function count(arm: MutableArm, outcome: string, score: number, latencyMs: number): void {
  arm.decisions++;
  if (outcome === 'decline') arm.declines++;
  arm.scores.push(score);
  arm.latenciesMs.push(latencyMs);
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Keeps one ChallengerAnalysis running for the challenger in force, if it has an analysis. */
export class CanaryAnalyst {
  private current: ChallengerAnalysis | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly follower: DeploymentFollower,
    private readonly changes: DeploymentChanges,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.unsubscribe = this.follower.onChange(() => void this.sync());
    void this.sync();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    await this.current?.stop();
    this.current = undefined;
  }

  private async sync(): Promise<void> {
    const challenger = this.follower.latest().challenger;
    if (this.current && this.current.deploymentId === challenger?.deploymentId) return;
    const previous = this.current;
    this.current = undefined;
    await previous?.stop();
    if (!challenger?.analysis) return;
    const deployed = [...this.follower.history()].reverse().find((e) => e.event.type === CHALLENGER_DEPLOYED);
    if (!deployed) return;
    this.current = new ChallengerAnalysis(
      challenger as Challenger & { analysis: CanaryAnalysisSpec },
      deployed.event.data.revision,
      deployed.position,
      this.store,
      this.follower,
      this.changes,
      this.log,
    );
    this.current.start();
  }
}

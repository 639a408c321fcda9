import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { Supervisor, type SupervisedStatus, type VerdictConfig } from '@verdict/config';
import type { EventStore } from '@verdict/event-store';
import { EVENT_STORE, LOGGER, VERDICT_CONFIG } from '../infrastructure/tokens';
import { logSupervision, type SupervisedSource } from '../health/supervised-source';
import type { ComponentStatus } from '../health/readiness';
import { HistoryThread, type HistoryValues } from './history-thread';
import type { HistoryAsk } from './history-thread.protocol';
import { HistoryUnavailableError } from './history-unavailable.error';

/** Component name of the history thread in liveness and metrics. */
export const HISTORY_COMPONENT = 'history';

/** Least time between two reports of the history thread's position (bounds the main thread's share). */
const REPORT_INTERVAL_MS = 50;

/**
 * The engine's history of the log (docs/features.md): a HistoryThread started before anything can decide, fed from
 * the event store's subscription, so decisions made by any instance count. Readiness waits until it has applied the
 * log as it stood at start.
 */
@Injectable()
export class HistoryFeed implements OnModuleInit, SupervisedSource {
  private supervisor?: Supervisor<HistoryThread>;
  /** The latest life, dead or alive (its figures are reported while the next one starts). */
  private thread?: HistoryThread;
  private stopRelay?: () => void;
  /** The position of the last commit this instance acknowledged: what the next ask must see. */
  private committed = -1n;
  private behind = 0;

  constructor(
    @Inject(VERDICT_CONFIG) private readonly config: VerdictConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    const { eventStore } = this.config;
    if (eventStore.kind === 'sqlite' && eventStore.url === ':memory:') {
      throw new Error('the history thread opens the event store on its own thread: an in-memory SQLite database is not shared');
    }
    const { maxEntities, waitLimitMs } = this.config.history;
    const data = { eventStore, maxEntities, reportIntervalMs: REPORT_INTERVAL_MS, waitLimitMs };
    // A dead history thread is started again: it rebuilds the state from the log (readiness waits for that), and
    // meanwhile a decision that needs history is refused (history-unavailable), never scored without it.
    const supervisor: Supervisor<HistoryThread> = new Supervisor(HISTORY_COMPONENT, {
      launch: async () => (this.thread = await HistoryThread.start(data, undefined, (t, e) => supervisor.crashed(t, e))),
      close: (thread) => thread.stop(),
      retire: (dead) => dead.stop(),
      report: (event, status, error) => logSupervision(this.log, event, status, error),
    });
    this.supervisor = supervisor;
    // The thread reads through its own store instance. Rather than a message per commit, each ask carries how far
    // this instance has committed, and the thread reads through it before answering.
    this.stopRelay = this.store.onAppended((position) => {
      if (position > this.committed) this.committed = position;
    });
    await supervisor.start();
  }

  supervised(): readonly SupervisedStatus[] {
    return this.supervisor ? [this.supervisor.status()] : [];
  }

  /** The state's bound on entities per kind: recorded with each decision that read history features. */
  get maxEntities(): number {
    return this.config.history.maxEntities;
  }

  /** History features for the asks, all from one log prefix (`asOf`). */
  values(asks: readonly HistoryAsk[]): Promise<HistoryValues> {
    const thread = this.supervisor?.current;
    if (!thread) return Promise.reject(new HistoryUnavailableError(`the history thread is ${this.supervisor?.status().state ?? 'not started'}`));
    const through = this.committed;
    return thread.values(asks, through).then((answer) => {
      if (answer.asOf < through) this.behind++;
      return answer;
    });
  }

  /** Asks answered before the state had read this instance's last acknowledged commit (wait limit, or store unreadable). */
  get answersBehind(): number {
    return this.behind;
  }

  status(): ComponentStatus {
    const t = this.thread;
    if (!t) return { status: 'down', error: 'not started' };
    const detail = { through: Number(t.through), caughtUpTo: Number(t.headAtStartPosition), cards: t.cards, maxEntities: this.config.history.maxEntities };
    if (t.failure) return { status: 'down', ...detail, error: t.failure.message };
    if (t.interruption) return { status: 'down', ...detail, error: `cannot read the log, retrying: ${t.interruption}` };
    return t.caughtUp ? { status: 'up', ...detail } : { status: 'down', ...detail, error: 'catching up with the log' };
  }

  /** Fault-injection seam for tests: ends the running history thread as a crash would; it is then restarted. */
  async terminateThread(): Promise<void> {
    await this.supervisor?.current?.terminate();
  }

  async stop(): Promise<void> {
    this.stopRelay?.();
    this.stopRelay = undefined;
    await this.supervisor?.stop();
  }
}

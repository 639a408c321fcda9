import { Inject, Injectable } from '@nestjs/common';
import type { SupervisedStatus } from '@verdict/config';
import type { EventStore } from '@verdict/event-store';
import { EVENT_STORE } from '../infrastructure/tokens';
import { HistoryFeed } from '../history/history-feed';
import { InlineProjections } from '../projections/inline-projections';
import { SealerThread } from '../audit/sealer-thread';
import type { SupervisedSource } from './supervised-source';

export interface LivenessReport {
  readonly status: 'ok' | 'error';
  /** Each supervised component: its state, how often it was restarted, and why it is down (if it is). */
  readonly components: Record<string, Omit<SupervisedStatus, 'component'>>;
}

/**
 * Live = no supervised component has been given up on. A component that died and is being restarted (state
 * `restarting`) keeps the process live: restarting it here is quicker than restarting the process. One that could not
 * be brought back within its restart policy (`failed`) makes liveness fail, so the orchestrator restarts the process.
 */
@Injectable()
export class Liveness {
  private readonly sources: readonly SupervisedSource[];

  constructor(@Inject(EVENT_STORE) store: EventStore, projections: InlineProjections, history: HistoryFeed, sealer: SealerThread) {
    this.sources = [{ supervised: () => store.supervised?.() ?? [] }, projections, history, sealer];
  }

  components(): SupervisedStatus[] {
    return this.sources.flatMap((s) => s.supervised());
  }

  check(): LivenessReport {
    const all = this.components();
    const components = Object.fromEntries(all.map(({ component, ...status }) => [component, status]));
    return { status: all.some((c) => c.state === 'failed') ? 'error' : 'ok', components };
  }
}

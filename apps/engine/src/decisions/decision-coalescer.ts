import { Injectable } from '@nestjs/common';
import type { Principal } from '@verdict/domain';
import { callerContext, currentCaller } from '../access/caller-context';
import { DecisionRecorder, type DecisionItem, type DecisionOutcome } from './decision-recorder';

/** Most single requests decided in one call: bounds one model run's rows and one append batch. */
export const MAX_COALESCED = 128;

interface Waiting {
  readonly item: DecisionItem;
  /** Whose request it is: its event is stamped with this caller (caller-stamping-store.ts). */
  readonly caller: Principal | undefined;
  readonly resolve: (outcome: DecisionOutcome) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Single decisions that arrive together are decided together. Requests that reach the handler in one turn of the
 * event loop are queued, and decided in one DecisionRecorder.record call when the turn ends (setImmediate): one
 * history ask, one model run per model, one appended batch, as a batch command's items are. Each request still gets
 * exactly its own outcome (a decision, a retry's answer, a conflict, or its own failure) and is answered only once its
 * decision is durable. A lone request waits for nothing: the turn it arrived in ends at once.
 *
 * What the coalescing changes is only which requests share a scoring, so they share its history prefix (`asOf`) and
 * do not see each other's decisions: the same as requests in flight together, and what `featuresAsOf` records
 * (docs/features.md). A store or champion-model failure fails every request of its call; a failure of one request
 * alone (its features, its append refused) is its own outcome.
 * Requests of different callers are never decided in one call: each call runs in its caller's context, so every
 * event is stamped with the caller that asked for it.
 */
@Injectable()
export class DecisionCoalescer {
  private waiting: Waiting[] = [];

  constructor(private readonly recorder: DecisionRecorder) {}

  decide(item: DecisionItem): Promise<DecisionOutcome> {
    return new Promise<DecisionOutcome>((resolve, reject) => {
      if (this.waiting.push({ item, caller: currentCaller(), resolve, reject }) === 1) {
        // Outside this request's context: the flush decides other callers' requests too.
        callerContext.exit(() => setImmediate(() => this.flush()));
      }
    });
  }

  private flush(): void {
    const byCaller = new Map<Principal | undefined, Waiting[]>();
    for (const w of this.waiting) {
      const group = byCaller.get(w.caller);
      if (group) group.push(w);
      else byCaller.set(w.caller, [w]);
    }
    this.waiting = [];
    for (const [caller, waiting] of byCaller) {
      for (let start = 0; start < waiting.length; start += MAX_COALESCED) {
        const call = waiting.slice(start, start + MAX_COALESCED);
        // A throw before record() returns its promise must reach these waiters too, and not the next calls'.
        const record = (): Promise<DecisionOutcome[]> => {
          try {
            return this.recorder.record(call.map((w) => w.item));
          } catch (error) {
            return Promise.reject(error);
          }
        };
        (caller ? callerContext.run(caller, record) : record()).then(
          (outcomes) => call.forEach((w, i) => w.resolve(outcomes[i] as DecisionOutcome)),
          (error: unknown) => call.forEach((w) => w.reject(error)),
        );
      }
    }
  }
}

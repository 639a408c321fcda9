import { Inject, Injectable } from '@nestjs/common';
import { canonicalJson, toDecisionResponse, validateDecisionRequest, type DecisionRequest } from '@verdict/domain';
import { simulateTransactions } from '@verdict/simulator';
import type { Logger } from 'pino';
import { LOGGER } from '../infrastructure/tokens';
import { decisionItem } from './decision-recorder';
import { PersonalData } from '../privacy/personal-data';
import { DecisionScorer } from './decision-scorer';

/** Batch sizes the warm-up cycles through: single commands and small batches, so the model sees several row counts. */
const BATCH_SIZES = [1, 1, 2, 4, 1, 8, 1, 16, 1, 32];
/** Distinct simulated requests it draws from (cycled): every channel, many countries and amounts. */
const POOL_SIZE = 500;
/** Never let a slow machine hold the engine back longer than this. */
const MAX_MS = 10_000;

export interface WarmupReport {
  readonly decisions: number;
  readonly ms: number;
}

/**
 * Runs the decision path on simulated requests before the engine listens, as serving systems warm a model before
 * they take traffic: body parsing and validation, the request hash, features, one model run per batch (so the
 * session has met several row counts), decide, the event's JSON in both forms and the response. Without it the first
 * second of traffic after a start paid for it: p99 of 523–793 ms at 1,000 decisions/s (100–260 ms with it). It writes nothing and counts
 * in no metric: its decisions exist only in memory.
 */
@Injectable()
export class HotPathWarmup {
  constructor(
    private readonly scorer: DecisionScorer,
    private readonly personal: PersonalData,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /** Warms with `decisions` simulated decisions (0: none). Throws when the path fails: the engine must not start. */
  async run(decisions: number): Promise<WarmupReport> {
    const started = performance.now();
    if (decisions <= 0) return { decisions: 0, ms: 0 };
    const bodies = simulatedBodies(Math.min(POOL_SIZE, decisions));
    let done = 0;
    for (let round = 0; done < decisions && performance.now() - started < MAX_MS; round++) {
      const size = Math.min(BATCH_SIZES[round % BATCH_SIZES.length] as number, decisions - done);
      const items = [];
      for (let i = 0; i < size; i++) {
        const valid = validateDecisionRequest(JSON.parse(bodies[(done + i) % bodies.length] as string));
        if (!valid.ok) throw new Error(`the warm-up's simulated request is invalid: ${JSON.stringify(valid.errors)}`);
        const item = decisionItem(valid.value, 'warm-up', this.personal, performance.now());
        items.push({ request: item.request, stored: item.protected.stored, requestHash: item.requestHash });
      }
      const startedAt = performance.now();
      const outcomes = await this.scorer.scoreAll(items, startedAt);
      for (const outcome of outcomes) {
        if (outcome instanceof Error) throw outcome;
        canonicalJson(outcome as unknown as Record<string, unknown>);
        JSON.stringify(outcome);
        JSON.stringify(toDecisionResponse(outcome, 1n));
      }
      done += size;
    }
    const report = { decisions: done, ms: Math.round(performance.now() - started) };
    this.log.info(report, 'decision path warmed up');
    return report;
  }
}

/** Request bodies as a client sends them, from a fixed simulation (the same on every start). */
function simulatedBodies(count: number): string[] {
  const out: string[] = [];
  for (const { request } of simulateTransactions({ seed: 1, days: 30, customers: 500, terminals: 200 })) {
    out.push(JSON.stringify({ ...request, transactionId: `warm-up-${out.length}` } satisfies DecisionRequest));
    if (out.length >= count) break;
  }
  return out;
}

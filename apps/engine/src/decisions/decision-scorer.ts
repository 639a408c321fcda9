import { Injectable } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import {
  applyPolicy,
  decide,
  decisionIdFor,
  routeRequest,
  type DecisionDeployment,
  type DecisionMade,
  type DecisionRequest,
  type ShadowResult,
} from '@verdict/domain';
import { DeploymentRuntime } from '../deployment/deployment-runtime';
import type { Arm, RoutingTable } from '../deployment/routing-table';
import { HistoryFeed } from '../history/history-feed';
import { RowRun, type HistoryLookup, type RowSlot } from './row-run';

const ms = (from: number, to: number): number => Math.round((to - from) * 1000) / 1000;
const failure = (e: unknown): string => (e instanceof Error ? e.message : String(e));
/** What was thrown, as an Error (an item's outcome is a decision or an Error). */
export const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

export interface ScoringItem {
  /** As received: features and routing read it. */
  readonly request: DecisionRequest;
  /** As the log holds it (pseudonyms in place of personal values): the event records it and history is keyed by it. */
  readonly stored?: DecisionRequest;
  readonly requestHash: string;
  /** performance.now() when the request arrived (default: the scoring's `startedAt`), for the recorded timings. */
  readonly startedAt?: number;
}

/** One item's place in the runs: where it decides, and its shadow row in shadow mode. */
interface Placement {
  run: RowRun;
  slot: RowSlot;
  deployment: { -readonly [K in keyof DecisionDeployment]: DecisionDeployment[K] };
  shadow?: RowSlot;
  /** Why the challenger could not build this request's shadow row: recorded as the shadow's failure. */
  shadowError?: string;
}

/** The runs of one scoring: one per model (the champion's, the challenger's), each a single model run. */
interface Runs {
  readonly champion: RowRun;
  readonly challenger: RowRun | null;
}

/** The history features of one scoring: each item's values, all from the log applied through `asOf`. */
interface ScoringHistory {
  readonly asOf: bigint;
  readonly maxEntities: number;
  readonly lookups: readonly HistoryLookup[];
}

/**
 * Routes requests to the arms of the deployment in force and scores them there (each request's row plus its
 * explanation rows), then applies the pure decide step. Everything asked at once is one model run per model, however
 * many requests: a batch command and a single one take the same path. In shadow mode the challenger scores the same
 * requests in its run; its verdict is recorded, and its failure never fails or changes a decision. A canary
 * challenger that fails hands its requests to the champion, and their events say so.
 */
@Injectable()
export class DecisionScorer {
  constructor(
    private readonly deployment: DeploymentRuntime,
    private readonly history: HistoryFeed,
  ) {}

  async score(request: DecisionRequest, requestHash: string, startedAt: number): Promise<DecisionMade> {
    const [outcome] = await this.scoreAll([{ request, requestHash }], startedAt);
    if (outcome instanceof Error) throw outcome;
    return outcome as DecisionMade;
  }

  /**
   * One outcome per item, in order: its decision, or the error that stopped it alone (its features could not be
   * built, or its model output was not a finite score). A champion run that fails throws: no item can be decided then.
   */
  async scoreAll(items: readonly ScoringItem[], startedAt = performance.now()): Promise<Array<DecisionMade | Error>> {
    const table = this.deployment.require();
    table.acquire(); // these sessions stay open until these decisions are made, whatever changes meanwhile
    try {
      const runs: Runs = { champion: new RowRun(table.champion), challenger: table.challenger ? new RowRun(table.challenger) : null };
      const history = await this.historyFor(table, items);
      const placements: Array<Placement | Error> = items.map((item, i) => {
        try {
          return place(table, runs, item.request, history?.lookups[i]);
        } catch (error) {
          return asError(error); // this request alone: the others in the scoring go on
        }
      });
      const featuresDone = performance.now();
      // Both models at once; a failed challenger run is recorded, never thrown.
      const [challenger] = await Promise.all([runs.challenger && !runs.challenger.empty ? timed(runs.challenger) : undefined, runs.champion.run()]);
      await rescueCanary(runs, items, placements, challenger?.error, history);
      const inferenceDone = performance.now();
      const decidedAt = new Date().toISOString();
      const inferenceMs = ms(featuresDone, inferenceDone);
      const now = performance.now();
      return items.map((item, i) => {
        const p = placements[i] as Placement | Error;
        if (p instanceof Error) return p;
        const started = item.startedAt ?? startedAt;
        const timings = { featuresMs: ms(started, featuresDone), inferenceMs, totalMs: ms(started, now) };
        try {
          const scored = p.run.scoresOf(p.slot);
          return decide({
            decisionId: decisionIdFor(item.request.transactionId),
            request: item.stored ?? item.request,
            requestHash: item.requestHash,
            featureNames: p.run.arm.model.recorded.featureNames,
            featureValues: p.slot.values,
            baseline: p.run.arm.model.recorded.baseline,
            scores: scored.scores,
            model: p.run.arm.model.snapshot,
            modelOutputs: scored.outputs,
            policy: p.run.arm.policy,
            decidedAt,
            timings,
            deployment: p.deployment,
            ...(history && p.run.arm.model.plan.usesHistory ? { history: { asOf: history.asOf, maxEntities: history.maxEntities } } : {}),
            ...(runs.challenger && (p.shadow || p.shadowError !== undefined)
              ? { shadow: shadowOf(runs.challenger, p.shadow, p.shadowError ?? challenger?.error, challenger?.ms ?? 0) }
              : {}),
          });
        } catch (error) {
          return asError(error);
        }
      });
    } finally {
      table.release();
    }
  }

  /**
   * One ask to the history thread for every item, for every history feature either arm's model reads (a canary's
   * request may end on the champion): all values of a scoring come from one log prefix. None when neither reads any.
   */
  private async historyFor(table: RoutingTable, items: readonly ScoringItem[]): Promise<ScoringHistory | undefined> {
    const challenger = table.challenger?.model.plan;
    if (!table.champion.model.plan.usesHistory && !challenger?.usesHistory) return undefined; // the usual case: nothing to ask, nothing to allocate
    const names = [...new Set([...table.champion.model.plan.historyNames, ...(challenger?.historyNames ?? [])])];
    const index = new Map(names.map((name, i) => [name, i]));
    const answer = await this.history.values(items.map((item) => ({ request: item.stored ?? item.request, names })));
    return {
      asOf: answer.asOf,
      maxEntities: this.history.maxEntities,
      lookups: answer.values.map((row) => (wanted: readonly string[]) => wanted.map((name) => row[index.get(name) as number] as number)),
    };
  }
}

function place(table: RoutingTable, runs: Runs, request: DecisionRequest, history: HistoryLookup | undefined): Placement {
  const route = routeRequest(table.challenger, request);
  const run = route.arm === 'challenger' && runs.challenger ? runs.challenger : runs.champion;
  const placement: Placement = {
    run,
    slot: run.add(request, true, history),
    deployment: { arm: route.arm, bucket: route.bucket, revision: table.revision },
  };
  // A shadow records no reasons, so it runs the request's row alone. A row it cannot build fails the shadow, never
  // the decision.
  if (route.shadow && runs.challenger) {
    try {
      placement.shadow = runs.challenger.add(request, false, history);
    } catch (error) {
      placement.shadowError = failure(error);
    }
  }
  return placement;
}

/** The challenger's verdict on a request in shadow mode, or the reason it has none. */
function shadowOf(run: RowRun, slot: RowSlot | undefined, runError: string | undefined, inferenceMs: number): ShadowResult {
  const arm: Arm = run.arm;
  // Keys in canonical order, as in decide().
  const failed = (error: string): ShadowResult => ({ error, inferenceMs, model: arm.model.snapshot, policy: arm.policy });
  if (runError !== undefined) return failed(runError);
  if (!slot) return failed('the challenger has no row for this request');
  try {
    const scored = run.scoresOf(slot);
    const score = scored.scores[0] as number;
    return { inferenceMs, model: arm.model.snapshot, modelOutputs: scored.outputs, outcome: applyPolicy(score, arm.policy), policy: arm.policy, score };
  } catch (error) {
    return failed(failure(error));
  }
}

/** Runs the challenger's rows: how long it took, and its failure if it failed. */
async function timed(run: RowRun): Promise<{ ms: number; error?: string }> {
  const started = performance.now();
  try {
    await run.run();
    return { ms: ms(started, performance.now()) };
  } catch (error) {
    return { ms: ms(started, performance.now()), error: failure(error) };
  }
}

/**
 * Canary requests whose challenger run failed, or whose own challenger score was not finite, are decided by the
 * champion instead (in a run of their own, after the first), and their events carry the challenger's error.
 */
async function rescueCanary(
  runs: Runs,
  items: readonly ScoringItem[],
  placements: Array<Placement | Error>,
  runError: string | undefined,
  history: ScoringHistory | undefined,
): Promise<void> {
  const challenger = runs.challenger;
  if (!challenger) return;
  const rescue = new RowRun(runs.champion.arm);
  placements.forEach((p, i) => {
    if (p instanceof Error || p.run !== challenger) return;
    let error = runError;
    if (error === undefined) {
      try {
        challenger.scoresOf(p.slot);
      } catch (e) {
        error = failure(e);
      }
    }
    if (error === undefined) return;
    let slot: RowSlot;
    try {
      slot = rescue.add((items[i] as ScoringItem).request, true, history?.lookups[i]);
    } catch (e) {
      placements[i] = asError(e); // the champion cannot build this request's row either: it fails alone
      return;
    }
    p.run = rescue;
    p.slot = slot;
    p.deployment.arm = 'champion';
    p.deployment.challengerError = error;
  });
  if (!rescue.empty) await rescue.run();
}

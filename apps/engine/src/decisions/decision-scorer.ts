import { Injectable } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import {
  applyPolicy,
  canonicalJson,
  decide,
  decisionIdFor,
  explanationRows,
  routeRequest,
  sha256Hex,
  type DecisionDeployment,
  type DecisionMade,
  type DecisionRequest,
  type ShadowResult,
} from '@verdict/domain';
import type { ScoreResult } from '@verdict/model-runtime';
import { DeploymentRuntime } from '../deployment/deployment-runtime';
import type { Arm } from '../deployment/routing-table';

const ms = (from: number, to: number): number => Math.round((to - from) * 1000) / 1000;

interface Scored {
  readonly values: Float32Array;
  readonly result: ScoreResult;
  readonly featuresDone: number;
}

/** Builds an arm's feature row and explanation rows and scores them in one batched run. */
async function scoreOn(arm: Arm, request: DecisionRequest): Promise<Scored> {
  const values = arm.model.plan.build(request);
  const featuresDone = performance.now();
  const rows = explanationRows(values, arm.model.baseline);
  const result = await arm.model.runtime.score(rows, values.length + 1);
  if (!Number.isFinite(result.scores[0])) throw new RangeError(`model produced a non-finite score (${result.scores[0]})`);
  return { values, result, featuresDone };
}

const failure = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Routes a request to an arm of the deployment in force, scores it there (the row plus its explanation rows, one
 * model run) and applies the pure decide step. In shadow mode the challenger scores the same request in the same
 * command; its verdict is recorded, and its failure never fails or changes the decision. A canary challenger that
 * fails hands the request to the champion, and the event says so.
 */
@Injectable()
export class DecisionScorer {
  constructor(private readonly deployment: DeploymentRuntime) {}

  static requestHash(request: DecisionRequest): string {
    return sha256Hex(canonicalJson(request));
  }

  async score(request: DecisionRequest, requestHash: string, startedAt: number): Promise<DecisionMade> {
    const table = this.deployment.require();
    table.acquire(); // these sessions stay open until this decision is made, whatever changes meanwhile
    try {
      const route = routeRequest(table.challenger, request);
      const shadowArm = route.shadow ? table.challenger : null;
      const shadow = shadowArm ? this.shadow(shadowArm, request) : undefined;
      let arm: Arm = route.arm === 'challenger' && table.challenger ? table.challenger : table.champion;
      const deployment: { -readonly [K in keyof DecisionDeployment]: DecisionDeployment[K] } = {
        revision: table.revision,
        arm: route.arm,
        bucket: route.bucket,
      };
      let scored: Scored;
      try {
        scored = await scoreOn(arm, request);
      } catch (error) {
        if (arm === table.champion) throw error;
        deployment.arm = 'champion';
        deployment.challengerError = failure(error);
        arm = table.champion;
        scored = await scoreOn(arm, request);
      }
      const inferenceDone = performance.now();
      return decide({
        decisionId: decisionIdFor(request.transactionId),
        request,
        requestHash,
        featureNames: arm.model.plan.names,
        featureValues: scored.values,
        baseline: arm.model.baseline,
        scores: scored.result.scores,
        model: arm.model.snapshot,
        modelOutputs: scored.result.firstRowOutputs,
        policy: arm.policy,
        decidedAt: new Date().toISOString(),
        timings: {
          featuresMs: ms(startedAt, scored.featuresDone),
          inferenceMs: ms(scored.featuresDone, inferenceDone),
          totalMs: ms(startedAt, performance.now()),
        },
        deployment,
        ...(shadow ? { shadow: await shadow } : {}),
      });
    } finally {
      table.release();
    }
  }

  /**
   * The challenger's verdict on the same request, or the reason it has none. Never throws. One row: a shadow records
   * no reasons, so it skips the explanation rows (a decision's run is 1 + F rows).
   */
  private async shadow(arm: Arm, request: DecisionRequest): Promise<ShadowResult> {
    const started = performance.now();
    const base = { model: arm.model.snapshot, policy: arm.policy };
    try {
      const result = await arm.model.runtime.score(arm.model.plan.build(request), 1);
      const score = result.scores[0];
      if (!Number.isFinite(score)) throw new RangeError(`model produced a non-finite score (${score})`);
      return { ...base, score, outcome: applyPolicy(score, arm.policy), modelOutputs: result.firstRowOutputs, inferenceMs: ms(started, performance.now()) };
    } catch (error) {
      return { ...base, inferenceMs: ms(started, performance.now()), error: failure(error) };
    }
  }
}

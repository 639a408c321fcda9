import { Inject, Injectable } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import {
  buildFeatureVector,
  canonicalJson,
  decide,
  decisionIdFor,
  explanationRows,
  sha256Hex,
  type DecisionMadeV1,
  type DecisionRequest,
  type ModelSnapshot,
  type PolicySnapshot,
} from '@verdict/domain';
import type { ModelRuntime } from '@verdict/model-runtime';
import { ACTIVE_POLICY, MODEL_RUNTIME } from '../infrastructure/tokens';

const ms = (from: number, to: number): number => Math.round((to - from) * 1000) / 1000;

/** Features → one batched model run (the row plus its explanation rows) → the pure decide step. No I/O but the model. */
@Injectable()
export class DecisionScorer {
  private readonly snapshot: ModelSnapshot;

  constructor(
    @Inject(MODEL_RUNTIME) private readonly model: ModelRuntime,
    @Inject(ACTIVE_POLICY) private readonly policy: PolicySnapshot,
  ) {
    const d = model.descriptor;
    this.snapshot = {
      name: d.name,
      version: d.version,
      sha256: d.sha256,
      inputName: d.inputName,
      outputNames: [...d.outputNames],
      scoreOutput: d.scoreOutput,
      runtime: {
        name: d.runtime.name,
        version: d.runtime.version,
        executionProviders: [...d.runtime.executionProviders],
        sessionOptions: d.runtime.sessionOptions,
      },
    };
  }

  static requestHash(request: DecisionRequest): string {
    return sha256Hex(canonicalJson(request));
  }

  async score(request: DecisionRequest, requestHash: string, startedAt: number): Promise<DecisionMadeV1> {
    const d = this.model.descriptor;
    const values = buildFeatureVector(request, d.features);
    const featuresDone = performance.now();
    const rows = explanationRows(values, d.baseline);
    const result = await this.model.score(rows, d.features.length + 1);
    const inferenceDone = performance.now();
    return decide({
      decisionId: decisionIdFor(request.transactionId),
      request,
      requestHash,
      featureNames: d.features,
      featureValues: values,
      baseline: d.baseline,
      scores: result.scores,
      model: this.snapshot,
      modelOutputs: result.firstRowOutputs,
      policy: this.policy,
      decidedAt: new Date().toISOString(),
      timings: {
        featuresMs: ms(startedAt, featuresDone),
        inferenceMs: ms(featuresDone, inferenceDone),
        totalMs: ms(startedAt, performance.now()),
      },
    });
  }
}

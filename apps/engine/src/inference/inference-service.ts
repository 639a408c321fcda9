import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  canonicalJson,
  INFERENCE_MADE,
  inferenceStreamId,
  sha256Hex,
  uuidV5,
  type InferenceMadeV1,
  type ModelVersionRegisteredV1,
  type OipTensor,
  type RegisteredModelVersion,
} from '@verdict/domain';
import { isWrongExpectedRevision, NO_STREAM, type EventStore } from '@verdict/event-store';
import type { DeploymentFollower } from '../deployment/deployment-follower';
import type { ModelCatalog } from '../models/model-catalog';
import type { InferenceRequest } from './inference-request';
import { OipError } from './oip-errors';
import type { RawSessions } from './raw-sessions';

export interface InferenceAnswer {
  readonly model_name: string;
  readonly model_version: string;
  readonly id: string;
  readonly outputs: readonly OipTensor[];
}

/**
 * Raw inference under the Open Inference Protocol v2. The version is the one asked for; without one, the champion's
 * version when the model is the champion, else the latest registered version not retired. Every call is recorded
 * as InferenceMade on `inference-<id>` before it is answered; the request's id makes a retry idempotent.
 */
export class InferenceService {
  constructor(
    private readonly store: EventStore,
    private readonly catalog: ModelCatalog,
    private readonly follower: DeploymentFollower,
    private readonly sessions: RawSessions,
  ) {}

  /** The version a request names (or means), or a 404 OipError. */
  async resolve(name: string, version: string | undefined): Promise<RegisteredModelVersion> {
    const history = await this.catalog.history(name);
    if (history.all().length === 0) throw new OipError(404, `Model "${name}" is not registered.`);
    if (version !== undefined) {
      const found = history.version(version);
      if (!found) throw new OipError(404, `Model "${name}" has no version "${version}".`);
      return found;
    }
    const champion = this.follower.latest().champion;
    const chosen = champion?.name === name ? history.version(champion.version) : history.latestActive();
    if (!chosen) throw new OipError(404, `Model "${name}" has no version that is not retired.`);
    return chosen;
  }

  /** Every registered version of `name` that is not retired, in registration order. */
  async versions(name: string): Promise<string[]> {
    return (await this.catalog.history(name)).all().filter((v) => v.retired === null).map((v) => v.registered.version);
  }

  async infer(name: string, version: string | undefined, request: InferenceRequest): Promise<{ answer: InferenceAnswer; replayed: boolean }> {
    const target = await this.resolve(name, version);
    if (target.retired) throw new OipError(400, `${name}@${target.registered.version} is retired.`);
    const requestHash = sha256Hex(canonicalJson({ name, version: version ?? null, inputs: request.inputs, outputs: request.outputs ?? null, parameters: request.parameters ?? null }));
    const id = request.id ?? randomUUID();
    const requested = request.outputs?.map((o) => o.name) ?? null;
    const started = performance.now();
    const outputs = await this.sessions.with(target.registered, (session) => session.infer(request.inputs as OipTensor[], requested ?? undefined));
    const event = this.event(id, target.registered, requestHash, request.inputs as OipTensor[], requested, outputs, performance.now() - started);
    try {
      await this.store.appendToStream(
        inferenceStreamId(id),
        [{ id: uuidV5(`inference:${id}`), type: INFERENCE_MADE, data: event as unknown as Record<string, unknown> }],
        { expectedRevision: NO_STREAM },
      );
      return { answer: answerOf(event), replayed: false };
    } catch (error) {
      if (!isWrongExpectedRevision(error)) throw error;
      const [stored] = await this.store.readStream(inferenceStreamId(id), { maxCount: 1 });
      const original = stored?.data as unknown as InferenceMadeV1 | undefined;
      if (!original || original.requestHash !== requestHash) {
        throw new OipError(409, `Inference id "${id}" was already used for a different request; a retry must repeat it exactly.`);
      }
      return { answer: answerOf(original), replayed: true };
    }
  }

  private event(
    inferenceId: string,
    r: ModelVersionRegisteredV1,
    requestHash: string,
    inputs: readonly OipTensor[],
    requestedOutputs: readonly string[] | null,
    outputs: readonly OipTensor[],
    ms: number,
  ): InferenceMadeV1 {
    return {
      schemaVersion: 1,
      inferenceId,
      model: { name: r.name, version: r.version, sha256: r.sha256, servedSha256: r.servedSha256 },
      requestHash,
      inputs,
      requestedOutputs,
      outputs,
      inferredAt: new Date().toISOString(),
      inferenceMs: Math.round(ms * 1000) / 1000,
    };
  }
}

const answerOf = (e: InferenceMadeV1): InferenceAnswer => ({
  model_name: e.model.name,
  model_version: e.model.version,
  id: e.inferenceId,
  outputs: e.outputs,
});

import * as ort from 'onnxruntime-node';
import type { ModelSignature, OipTensor } from '@verdict/domain';
import { ModelLoadError, ModelLoadErrorCode } from './model-runtime.errors';
import { readModelSignature, isTensorSpec } from './model-signature';
import { checkSelfContained } from './external-data';
import { SessionRuns } from './session-runs';
import { decodeOipTensor, encodeOipTensor, InferenceInputError } from './oip-tensor-codec';

const SESSION_OPTIONS: ort.InferenceSession.SessionOptions = {
  executionProviders: ['cpu'],
  executionMode: 'sequential',
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
  logSeverityLevel: 3,
};

/**
 * Any ONNX model, for raw inference: inputs and outputs as the graph declares them (typed tensors of any supported
 * element type, several named inputs), in the Open Inference Protocol's JSON form.
 */
export class RawInferenceSession {
  private readonly runs = new SessionRuns();

  private constructor(
    readonly signature: ModelSignature,
    private readonly session: ort.InferenceSession,
  ) {}

  /** @throws ModelLoadError: ExternalData for a model that is not self-contained; UnsupportedModel with onnxruntime's own message when it cannot build a session. */
  static async load(bytes: Uint8Array, source = 'model'): Promise<RawInferenceSession> {
    const signature = readModelSignature(bytes, source);
    checkSelfContained(bytes, source);
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, SESSION_OPTIONS);
    } catch (cause) {
      throw new ModelLoadError(ModelLoadErrorCode.UnsupportedModel, source, `onnxruntime-node rejected the model: ${(cause as Error).message}`, { cause });
    }
    return new RawInferenceSession(signature, session);
  }

  /** Runs the model; `requested` names outputs to return (default: every tensor output). */
  infer(inputs: readonly OipTensor[], requested?: readonly string[]): Promise<OipTensor[]> {
    if (this.runs.closed) return Promise.reject(new InferenceInputError('the model session is closed'));
    return this.runs.track(this.run(inputs, requested));
  }

  /** Waits for runs in flight, then frees the session. */
  async close(): Promise<void> {
    if (this.runs.closed) return;
    await this.runs.drain();
    await this.session.release();
  }

  private async run(inputs: readonly OipTensor[], requested?: readonly string[]): Promise<OipTensor[]> {
    const feeds: Record<string, ort.Tensor> = {};
    for (const input of inputs) {
      const spec = this.signature.inputs.find((s) => s.name === input.name);
      if (!spec) throw new InferenceInputError(`the model has no input "${input.name}" (inputs: ${this.signature.inputs.map((s) => s.name).join(', ')})`);
      if (feeds[input.name]) throw new InferenceInputError(`input "${input.name}" is given twice`);
      feeds[input.name] = decodeOipTensor(input, spec);
    }
    const missing = this.signature.inputs.filter((s) => !feeds[s.name]).map((s) => s.name);
    if (missing.length > 0) throw new InferenceInputError(`missing input(s): ${missing.join(', ')}`);
    const tensorOutputs = this.signature.outputs.filter(isTensorSpec).map((o) => o.name);
    const fetch = requested && requested.length > 0 ? [...requested] : tensorOutputs;
    for (const name of fetch) {
      const spec = this.signature.outputs.find((o) => o.name === name);
      if (!spec) throw new InferenceInputError(`the model has no output "${name}" (outputs: ${this.signature.outputs.map((o) => o.name).join(', ')})`);
      if (!isTensorSpec(spec)) throw new InferenceInputError(`output "${name}" is a ${spec.elementType}, not a tensor: it cannot be returned`);
    }
    let result: ort.InferenceSession.ReturnType;
    try {
      result = await this.session.run(feeds, fetch);
    } catch (cause) {
      throw new InferenceInputError(`the model failed to run on these inputs: ${(cause as Error).message}`);
    }
    return fetch.map((name) => encodeOipTensor(name, result[name] as ort.Tensor));
  }
}

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as nodePath from 'node:path';
import * as ort from 'onnxruntime-node';
import type { ModelDescriptor, ModelRuntime, RawTensor, ScoreResult } from './model-runtime.port';
import { ModelLoadError, ModelLoadErrorCode, ModelScoreError, ModelScoreErrorCode } from './model-runtime.errors';
import { readModelProto, readVerdictMetadata, type ModelProtoSummary, type ScoreOutputRef } from './onnx-model-metadata';
import { checkSelfContained } from './external-data';
import { checkSingleFloatInput, resolveBaseline, resolveFeatures } from './onnx-model-inputs';
import { selectOutputs } from './score-output-selection';
import { SessionRuns } from './session-runs';
import { rowToJson } from './tensor-to-json';
import { extractScores } from './score-extraction';

export interface OnnxModelConfig extends Omit<OnnxModelBytesConfig, 'source'> {
  readonly path: string;
}

export interface OnnxModelBytesConfig {
  /** Where the bytes came from (a file path, `artifact:<sha256>`): used in errors and as the descriptor's path. */
  readonly source: string;
  /** Overrides `verdict.model_name`; default: the file name without `.onnx`. */
  readonly name?: string;
  /** Overrides `verdict.model_version`; default: ModelProto.model_version, else `sha256-<first 12 hex>`. */
  readonly version?: string;
  /** Overrides `verdict.features`. */
  readonly features?: readonly string[];
  /** Overrides `verdict.baseline`; default: zeros. */
  readonly baseline?: readonly number[];
  /** Overrides `verdict.score_output`. */
  readonly scoreOutput?: ScoreOutputRef;
  /** Default 1: requests are scored concurrently, and tiny tree models gain nothing from intra-op threads. */
  readonly intraOpNumThreads?: number;
}

const EXECUTION_PROVIDERS = ['cpu'] as const;

function runtimeVersion(): string {
  const versions = ort.env.versions as { node?: string; common?: string };
  return versions.node ?? versions.common ?? (require('onnxruntime-node/package.json') as { version: string }).version;
}

async function readModelBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new ModelLoadError(ModelLoadErrorCode.FileNotFound, path, 'no such file; check the configured model path', {
        cause,
      });
    }
    throw new ModelLoadError(
      ModelLoadErrorCode.FileUnreadable,
      path,
      `the file cannot be read (${code ?? (cause as Error).message})`,
      { cause },
    );
  }
}

async function createSession(
  bytes: Uint8Array,
  options: ort.InferenceSession.SessionOptions,
  proto: ModelProtoSummary,
  path: string,
): Promise<ort.InferenceSession> {
  checkSelfContained(bytes, path);
  try {
    return await ort.InferenceSession.create(bytes, options);
  } catch (cause) {
    const opsets = proto.opsets.map((o) => `${o.domain} ${o.version}`).join(', ');
    throw new ModelLoadError(
      ModelLoadErrorCode.UnsupportedModel,
      path,
      `onnxruntime-node ${runtimeVersion()} rejected the model: ${(cause as Error).message}. ` +
        `The model declares IR ${proto.irVersion}, opsets [${opsets}]${proto.producer ? `, producer ${proto.producer}` : ''}. ` +
        'onnxruntime supports ai.onnx opset 7 and later; re-export the model with a current converter and opset',
      { cause },
    );
  }
}

function checkIntraOpThreads(path: string, value: number | undefined): number {
  if (value === undefined) return 1;
  if (!Number.isInteger(value) || value < 0) {
    throw new ModelLoadError(ModelLoadErrorCode.InvalidConfig, path, `intraOpNumThreads must be an integer >= 0, got ${value}`);
  }
  return value;
}

export class OnnxModelRuntime implements ModelRuntime {
  private readonly runs = new SessionRuns();

  private constructor(
    readonly descriptor: ModelDescriptor,
    private readonly session: ort.InferenceSession,
  ) {}

  /** Loads the model file at `config.path` (its sha256 is computed from the bytes read). */
  static async load(config: OnnxModelConfig): Promise<OnnxModelRuntime> {
    const path = nodePath.resolve(config.path);
    return OnnxModelRuntime.fromBytes(await readModelBytes(path), { ...config, source: path });
  }

  /**
   * Loads a model from its bytes (e.g. fetched from the artifact store by sha256). `source` names where the bytes
   * came from in errors and in the descriptor's `path`.
   */
  static async fromBytes(bytes: Uint8Array, config: OnnxModelBytesConfig): Promise<OnnxModelRuntime> {
    const path = config.source;
    const intraOpNumThreads = checkIntraOpThreads(path, config.intraOpNumThreads);
    // Hash and session use the same bytes, so the recorded sha256 is exactly the model that scores.
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const proto = readModelProto(bytes, path);
    const meta = readVerdictMetadata(proto.metadata, path);
    const sessionOptions = {
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      intraOpNumThreads,
      interOpNumThreads: 1,
      enableCpuMemArena: true,
      enableMemPattern: true,
      logSeverityLevel: 3,
    } as const satisfies ort.InferenceSession.SessionOptions;
    const session = await createSession(
      bytes,
      { ...sessionOptions, executionProviders: [...EXECUTION_PROVIDERS] },
      proto,
      path,
    );
    try {
      const input = checkSingleFloatInput(path, session.inputMetadata);
      const features = resolveFeatures(path, config.features, meta.features, input.featureCount);
      const baseline = resolveBaseline(path, config.baseline, meta.baseline, features.length);
      const outputs = selectOutputs(path, session.outputMetadata, config.scoreOutput ?? meta.scoreOutput);
      const descriptor: ModelDescriptor = {
        name: config.name ?? meta.modelName ?? nodePath.basename(path).replace(/\.onnx$/i, ''),
        version:
          config.version ??
          meta.modelVersion ??
          (proto.modelVersion > 0 ? String(proto.modelVersion) : `sha256-${sha256.slice(0, 12)}`),
        sha256,
        path,
        features,
        baseline,
        inputName: input.name,
        outputNames: outputs.fetch,
        scoreOutput: outputs.scoreOutput,
        runtime: {
          name: 'onnxruntime-node',
          version: runtimeVersion(),
          executionProviders: EXECUTION_PROVIDERS,
          sessionOptions,
        },
        metadata: proto.metadata,
      };
      return new OnnxModelRuntime(deepFreeze(descriptor), session);
    } catch (e) {
      await session.release();
      throw e;
    }
  }

  score(values: Float32Array, rows: number): Promise<ScoreResult> {
    if (this.runs.closed) {
      return Promise.reject(new ModelScoreError(ModelScoreErrorCode.Closed, `Model ${this.descriptor.name} is closed`));
    }
    return this.runs.track(this.run(values, rows));
  }

  /** Waits for runs in flight, then frees the session. */
  async close(): Promise<void> {
    if (this.runs.closed) return;
    await this.runs.drain();
    await this.session.release();
  }

  private async run(values: Float32Array, rows: number): Promise<ScoreResult> {
    const { features, inputName, outputNames, scoreOutput } = this.descriptor;
    if (!Number.isInteger(rows) || rows < 1) {
      throw new ModelScoreError(ModelScoreErrorCode.InvalidInput, `rows must be a positive integer, got ${rows}`);
    }
    if (!(values instanceof Float32Array) || values.length !== rows * features.length) {
      throw new ModelScoreError(
        ModelScoreErrorCode.InvalidInput,
        `expected a Float32Array of ${rows} × ${features.length} = ${rows * features.length} values, got ` +
          (values instanceof Float32Array ? `length ${values.length}` : Object.prototype.toString.call(values)),
      );
    }
    let result: ort.InferenceSession.ReturnType;
    try {
      const input = new ort.Tensor('float32', values, [rows, features.length]);
      result = await this.session.run({ [inputName]: input }, [...outputNames]);
    } catch (cause) {
      throw new ModelScoreError(
        ModelScoreErrorCode.RunFailed,
        `Model ${this.descriptor.name} failed to score: ${(cause as Error).message}`,
        { cause },
      );
    }
    const scores = extractScores(result[scoreOutput.name] as ort.Tensor, scoreOutput, rows);
    const outputsOf = (row: number): Record<string, RawTensor> => {
      if (!Number.isInteger(row) || row < 0 || row >= rows) throw new RangeError(`row ${row} is not one of the ${rows} rows scored`);
      const outputs: Record<string, RawTensor> = {};
      for (const name of outputNames) outputs[name] = rowToJson(result[name] as ort.Tensor, rows, row);
      return outputs;
    };
    return { scores, outputsOf };
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

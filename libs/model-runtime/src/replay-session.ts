import * as ort from 'onnxruntime-node';
import type { RawTensor } from './model-runtime.port';
import { ModelLoadError, ModelLoadErrorCode, ModelScoreError, ModelScoreErrorCode } from './model-runtime.errors';
import { checkSelfContained } from './external-data';
import { extractScores } from './score-extraction';
import { SessionRuns } from './session-runs';
import { rowToJson } from './tensor-to-json';

/** How a decision ran its model, as its DecisionMade event records it. */
export interface RecordedRun {
  readonly inputName: string;
  readonly outputNames: readonly string[];
  readonly scoreOutput: { readonly name: string; readonly column: number };
  readonly executionProviders: readonly string[];
  readonly sessionOptions: Readonly<Record<string, unknown>>;
}

/** One batched run of many decisions' rows; read back per row. */
export interface ReplayBatch {
  readonly rows: number;
  /** Positive-class score of every row. */
  readonly scores: Float32Array;
  /** Every fetched output of row `row`, JSON-safe exactly as the decision recorded it. */
  outputsOf(row: number): Record<string, RawTensor>;
}

/**
 * A session opened on recorded model bytes with the recorded session options and execution providers, for an
 * auditor's replay. Unlike the decision runtime it takes the input and output names from the record, not from the
 * model's metadata, so any recorded decision replays on exactly what it ran.
 */
export class ReplaySession {
  private readonly runs = new SessionRuns();

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly recorded: RecordedRun,
  ) {}

  static async open(bytes: Uint8Array, recorded: RecordedRun, source: string): Promise<ReplaySession> {
    checkSelfContained(bytes, source);
    const options = { ...(recorded.sessionOptions as ort.InferenceSession.SessionOptions), executionProviders: [...recorded.executionProviders] };
    try {
      return new ReplaySession(await ort.InferenceSession.create(bytes, options as ort.InferenceSession.SessionOptions), recorded);
    } catch (cause) {
      throw new ModelLoadError(ModelLoadErrorCode.UnsupportedModel, source, `onnxruntime-node rejected the model: ${(cause as Error).message}`, { cause });
    }
  }

  /** Runs `rows` rows of `width` float32 values (row-major). */
  run(values: Float32Array, rows: number, width: number): Promise<ReplayBatch> {
    if (this.runs.closed) return Promise.reject(new ModelScoreError(ModelScoreErrorCode.Closed, 'the replay session is closed'));
    return this.runs.track(this.execute(values, rows, width));
  }

  async close(): Promise<void> {
    if (this.runs.closed) return;
    await this.runs.drain();
    await this.session.release();
  }

  private async execute(values: Float32Array, rows: number, width: number): Promise<ReplayBatch> {
    const { inputName, outputNames, scoreOutput } = this.recorded;
    let result: ort.InferenceSession.ReturnType;
    try {
      result = await this.session.run({ [inputName]: new ort.Tensor('float32', values, [rows, width]) }, [...outputNames]);
    } catch (cause) {
      throw new ModelScoreError(ModelScoreErrorCode.RunFailed, `replay run failed: ${(cause as Error).message}`, { cause });
    }
    const scores = extractScores(result[scoreOutput.name] as ort.Tensor, scoreOutput, rows);
    return {
      rows,
      scores,
      outputsOf: (row) => {
        const out: Record<string, RawTensor> = {};
        for (const name of outputNames) out[name] = rowToJson(result[name] as ort.Tensor, rows, row);
        return out;
      },
    };
  }
}

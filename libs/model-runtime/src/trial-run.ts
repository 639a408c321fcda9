import type { ModelRuntime } from './model-runtime.port';
import { ModelScoreError, ModelScoreErrorCode } from './model-runtime.errors';

/**
 * Rows like a decision's: the baseline, a row off the baseline in every feature, and that row with each feature put
 * back at its baseline in turn (its explanation rows). At least 3 rows, so an output that ignores the batch size
 * ([1, 2] whatever N) cannot pass for a batched one.
 */
export function trialRows(baseline: readonly number[]): { values: Float32Array; rows: number } {
  const width = baseline.length;
  const varied = baseline.map((b) => b + 1);
  const rows = 2 + width;
  const values = new Float32Array(rows * width);
  values.set(baseline, 0);
  values.set(varied, width);
  for (let f = 0; f < width; f++) {
    const row = [...varied];
    row[f] = baseline[f] as number;
    values.set(row, (2 + f) * width);
  }
  return { values, rows };
}

/**
 * Scores the trial rows as the decision path would and checks what it relies on: every output readable per row, the
 * score output [N] or [N, >column] for N rows, the baseline's score finite. Only the baseline's: the variations are
 * not requests, and a model with bounded inputs (a log, a one-hot column) may rightly give NaN for them.
 * @throws ModelScoreError (RunFailed) saying what the model did instead.
 */
export async function trialRun(runtime: ModelRuntime): Promise<void> {
  const { values, rows } = trialRows(runtime.descriptor.baseline);
  const batch = `a trial batch of ${rows} rows (the baseline and variations of it)`;
  let scores: Float32Array;
  try {
    const result = await runtime.score(values, rows);
    for (let row = 0; row < rows; row++) result.outputsOf(row);
    scores = result.scores;
  } catch (cause) {
    throw new ModelScoreError(ModelScoreErrorCode.RunFailed, `${batch} failed: ${(cause as Error).message}`, { cause });
  }
  const baselineScore = scores[0] as number;
  if (!Number.isFinite(baselineScore)) {
    throw new ModelScoreError(ModelScoreErrorCode.RunFailed, `${batch}: the baseline row scored ${baselineScore}; it must score a finite number`);
  }
}

import type * as ort from 'onnxruntime-node';
import { ModelScoreError, ModelScoreErrorCode } from './model-runtime.errors';
import type { ScoreOutputRef } from './onnx-model-metadata';

/** The positive-class score of each of `rows` rows: column `ref.column` of output `ref.name` ([rows] or [rows, k]). */
export function extractScores(tensor: ort.Tensor, ref: ScoreOutputRef, rows: number): Float32Array {
  const dims = tensor.dims;
  const width = dims.length === 1 ? 1 : dims.length === 2 ? dims[1] : -1;
  if (width < 0 || dims[0] !== rows || ref.column >= width) {
    throw new ModelScoreError(
      ModelScoreErrorCode.RunFailed,
      `score output "${ref.name}" has dims [${dims.join(', ')}]; expected [${rows}] or [${rows}, >${ref.column}]`,
    );
  }
  const data = tensor.data as Float32Array | Float64Array;
  const scores = new Float32Array(rows);
  for (let r = 0; r < rows; r++) scores[r] = data[r * width + ref.column];
  return scores;
}

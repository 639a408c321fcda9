import type { InferenceSession } from 'onnxruntime-node';
import { ModelLoadError, ModelLoadErrorCode } from './model-runtime.errors';
import type { ScoreOutputRef } from './onnx-model-metadata';

type ValueMetadata = InferenceSession.ValueMetadata;
type TensorMetadata = Extract<ValueMetadata, { isTensor: true }>;

export interface OutputSelection {
  /** Tensor outputs to fetch on every run; non-tensor outputs (ZipMap) would make onnxruntime-node throw. */
  readonly fetch: readonly string[];
  readonly scoreOutput: ScoreOutputRef;
}

const PROBABILITY_NAMES = new Set(['probabilities', 'probability', 'output_probability']);
const FLOAT_TYPES = new Set(['float32', 'float64']);

const ZIPMAP_FIX =
  're-export the classifier without ZipMap so probabilities are a plain float tensor: in skl2onnx use ' +
  "to_onnx(model, X, options={id(model): {'zipmap': False}}) (or convert_sklearn(..., options={id(model): {'zipmap': False}}))";

export function describeValue(o: ValueMetadata): string {
  if (!o.isTensor) return `"${o.name}" (non-tensor: sequence or map, e.g. ZipMap)`;
  const shape = o.shape.map((d) => (typeof d === 'number' ? String(d) : d || '?')).join(', ');
  return `"${o.name}" (${o.type} [${shape}])`;
}

function zipMapError(path: string, output: ValueMetadata): ModelLoadError {
  return new ModelLoadError(
    ModelLoadErrorCode.UnsupportedOutput,
    path,
    `the probability output ${describeValue(output)} is a ZipMap, which onnxruntime-node cannot return ` +
      `("Non tensor type is temporarily not supported"); ${ZIPMAP_FIX}`,
  );
}

/** Static column count of a [N] or [N, K] output; undefined when K is symbolic. Throws for other ranks. */
function columnsOf(path: string, o: TensorMetadata): number | undefined {
  // An empty shape means onnxruntime does not know it; the run-time check in the adapter covers that case.
  if (o.shape.length === 0 || o.shape.length === 1) return o.shape.length === 1 ? 1 : undefined;
  if (o.shape.length === 2) return typeof o.shape[1] === 'number' ? o.shape[1] : undefined;
  throw new ModelLoadError(
    ModelLoadErrorCode.UnsupportedOutput,
    path,
    `score output ${describeValue(o)} must have shape [N] or [N, K]`,
  );
}

function checkRequested(path: string, outputs: readonly ValueMetadata[], ref: ScoreOutputRef): ScoreOutputRef {
  const found = outputs.find((o) => o.name === ref.name);
  if (!found) {
    throw new ModelLoadError(
      ModelLoadErrorCode.UnsupportedOutput,
      path,
      `score output "${ref.name}" does not exist; the model's outputs are ${outputs.map(describeValue).join(', ')}`,
    );
  }
  if (!found.isTensor) throw zipMapError(path, found);
  if (!FLOAT_TYPES.has(found.type)) {
    throw new ModelLoadError(
      ModelLoadErrorCode.UnsupportedOutput,
      path,
      `score output ${describeValue(found)} must be a float tensor`,
    );
  }
  const columns = columnsOf(path, found);
  if (!Number.isInteger(ref.column) || ref.column < 0 || (columns !== undefined && ref.column >= columns)) {
    throw new ModelLoadError(
      ModelLoadErrorCode.UnsupportedOutput,
      path,
      `score column ${ref.column} is out of range for output ${describeValue(found)}`,
    );
  }
  return ref;
}

function inferScoreOutput(path: string, outputs: readonly ValueMetadata[]): ScoreOutputRef {
  const floats = outputs.filter((o): o is TensorMetadata => o.isTensor && FLOAT_TYPES.has(o.type));
  const probability = floats.find((o) => PROBABILITY_NAMES.has(o.name.toLowerCase()));
  if (probability) {
    const columns = columnsOf(path, probability);
    if (columns === 2) return { name: probability.name, column: 1 };
    throw new ModelLoadError(
      ModelLoadErrorCode.UnsupportedOutput,
      path,
      `probability output ${describeValue(probability)} does not have exactly 2 columns, so the positive class is ` +
        `ambiguous; set scoreOutput in the configuration or "verdict.score_output" metadata (e.g. "${probability.name}:1")`,
    );
  }
  if (floats.length === 1 && (columnsOf(path, floats[0]) ?? 0) === 1) return { name: floats[0].name, column: 0 };
  const zipMap = outputs.find((o) => !o.isTensor);
  if (zipMap && floats.length === 0) throw zipMapError(path, zipMap);
  throw new ModelLoadError(
    ModelLoadErrorCode.UnsupportedOutput,
    path,
    `cannot tell which output holds the score; expected a float tensor "probabilities" [N, 2] or a single float ` +
      `output [N, 1]/[N]. The model's outputs are ${outputs.map(describeValue).join(', ')}. ` +
      `Set scoreOutput in the configuration or "verdict.score_output" metadata ("<output>:<column>")`,
  );
}

export function selectOutputs(
  path: string,
  outputs: readonly ValueMetadata[],
  requested: ScoreOutputRef | undefined,
): OutputSelection {
  const scoreOutput = requested ? checkRequested(path, outputs, requested) : inferScoreOutput(path, outputs);
  return { fetch: outputs.filter((o) => o.isTensor).map((o) => o.name), scoreOutput };
}

import { onnx } from 'onnx-proto';
import { isLeaf, type TreeEnsemble } from './tree-ensemble';

export const ONNX_INPUT_NAME = 'input';
export const ONNX_LABEL_OUTPUT = 'label';
export const ONNX_PROBABILITIES_OUTPUT = 'probabilities';
export const ONNX_PRODUCER_NAME = 'verdict-train';
export const ONNX_PRODUCER_VERSION = '1';
/** IR 8 = ONNX 1.10, the schema onnx-proto ships. */
const IR_VERSION = 8;
const AI_ONNX_OPSET = 13;
const AI_ONNX_ML_OPSET = 1;

export interface OnnxExportOptions {
  /** Written to metadata_props in the given (deterministic) order; keys must be unique. */
  readonly metadata: readonly (readonly [key: string, value: string])[];
  readonly docString?: string;
  readonly graphName?: string;
}

export class OnnxExportError extends Error {
  readonly code = 'ONNX_EXPORT_FAILED';
  constructor(message: string) {
    super(message);
    this.name = 'OnnxExportError';
  }
}

const { AttributeType } = onnx.AttributeProto;
const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));

const ints = (name: string, values: readonly number[]): onnx.IAttributeProto => ({ name, type: AttributeType.INTS, ints: [...values] });
const floats = (name: string, values: readonly number[]): onnx.IAttributeProto => ({ name, type: AttributeType.FLOATS, floats: [...values] });
const strings = (name: string, values: readonly string[]): onnx.IAttributeProto => ({
  name,
  type: AttributeType.STRINGS,
  strings: values.map(utf8),
});
const string = (name: string, value: string): onnx.IAttributeProto => ({ name, type: AttributeType.STRING, s: utf8(value) });

/**
 * One ai.onnx.ml TreeEnsembleClassifier: float input [N, F], outputs label int64 [N] and probabilities float [N, 2]
 * (no ZipMap). Leaves vote into class 0 with the raw score and post_transform LOGISTIC: onnxruntime then writes
 * [σ(−s), σ(s)] with s = Σ leaves + base_values[0], i.e. probabilities[:, 1] is the fraud probability.
 */
export function buildOnnxModel(model: TreeEnsemble, options: OnnxExportOptions): onnx.ModelProto {
  const F = model.featureNames.length;
  if (model.trees.length === 0) throw new OnnxExportError('The ensemble has no trees');
  const treeIds: number[] = [];
  const nodeIds: number[] = [];
  const featureIds: number[] = [];
  const modes: string[] = [];
  const values: number[] = [];
  const trueIds: number[] = [];
  const falseIds: number[] = [];
  const classTreeIds: number[] = [];
  const classNodeIds: number[] = [];
  const classIds: number[] = [];
  const classWeights: number[] = [];
  model.trees.forEach((tree, t) => {
    tree.nodes.forEach((node, id) => {
      treeIds.push(t);
      nodeIds.push(id);
      if (isLeaf(node)) {
        featureIds.push(0);
        modes.push('LEAF');
        values.push(0);
        trueIds.push(0);
        falseIds.push(0);
        classTreeIds.push(t);
        classNodeIds.push(id);
        classIds.push(0);
        classWeights.push(Math.fround(node.value));
      } else {
        if (node.feature >= F) throw new OnnxExportError(`Tree ${t} node ${id} uses feature ${node.feature} of ${F}`);
        if (Math.fround(node.threshold) !== node.threshold) {
          throw new OnnxExportError(`Tree ${t} node ${id} threshold ${node.threshold} is not a float32 value`);
        }
        featureIds.push(node.feature);
        modes.push('BRANCH_LEQ');
        values.push(node.threshold);
        trueIds.push(node.left);
        falseIds.push(node.right);
      }
    });
  });
  // With only non-negative weights onnxruntime treats the sum as a probability and skips the logistic transform.
  if (!classWeights.some((w) => w < 0)) {
    throw new OnnxExportError('Every leaf value is non-negative; onnxruntime would not apply LOGISTIC to the raw score');
  }
  const keys = new Set<string>();
  for (const [k] of options.metadata) {
    if (keys.has(k)) throw new OnnxExportError(`Duplicate metadata key "${k}"`);
    keys.add(k);
  }

  const node: onnx.INodeProto = {
    input: [ONNX_INPUT_NAME],
    output: [ONNX_LABEL_OUTPUT, ONNX_PROBABILITIES_OUTPUT],
    name: 'TreeEnsembleClassifier',
    opType: 'TreeEnsembleClassifier',
    domain: 'ai.onnx.ml',
    attribute: [
      floats('base_values', [Math.fround(model.baseScore)]),
      ints('class_ids', classIds),
      ints('class_nodeids', classNodeIds),
      ints('class_treeids', classTreeIds),
      floats('class_weights', classWeights),
      ints('classlabels_int64s', [0, 1]),
      ints('nodes_falsenodeids', falseIds),
      ints('nodes_featureids', featureIds),
      strings('nodes_modes', modes),
      ints('nodes_nodeids', nodeIds),
      ints('nodes_treeids', treeIds),
      ints('nodes_truenodeids', trueIds),
      floats('nodes_values', values),
      string('post_transform', 'LOGISTIC'),
    ],
  };
  const tensor = (elemType: number, dims: onnx.TensorShapeProto.IDimension[]): onnx.ITypeProto => ({
    tensorType: { elemType, shape: { dim: dims } },
  });
  const N = { dimParam: 'N' };
  return onnx.ModelProto.create({
    irVersion: IR_VERSION,
    opsetImport: [
      { domain: '', version: AI_ONNX_OPSET },
      { domain: 'ai.onnx.ml', version: AI_ONNX_ML_OPSET },
    ],
    producerName: ONNX_PRODUCER_NAME,
    producerVersion: ONNX_PRODUCER_VERSION,
    docString: options.docString ?? '',
    graph: {
      name: options.graphName ?? 'verdict_tree_ensemble',
      node: [node],
      input: [{ name: ONNX_INPUT_NAME, type: tensor(onnx.TensorProto.DataType.FLOAT, [N, { dimValue: F }]) }],
      output: [
        { name: ONNX_LABEL_OUTPUT, type: tensor(onnx.TensorProto.DataType.INT64, [N]) },
        { name: ONNX_PROBABILITIES_OUTPUT, type: tensor(onnx.TensorProto.DataType.FLOAT, [N, { dimValue: 2 }]) },
      ],
    },
    metadataProps: options.metadata.map(([key, value]) => ({ key, value })),
  });
}

/** Serialized model bytes; protobufjs writes fields in schema order, so equal models give equal bytes. */
export function encodeOnnxModel(model: onnx.ModelProto): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}

export function exportOnnx(model: TreeEnsemble, options: OnnxExportOptions): Uint8Array {
  return encodeOnnxModel(buildOnnxModel(model, options));
}

import { onnx } from 'onnx-proto';
import { decodeModel } from './model-signature';

export interface ZipMapRewrite {
  /** The bytes to serve: the rewritten graph, or the input itself when there was nothing to rewrite. */
  readonly bytes: Uint8Array;
  readonly rewritten: boolean;
  /** The graph outputs that were ZipMap outputs and are now probability tensors. */
  readonly outputs: string[];
}

const ZIPMAP = 'ZipMap';
const ML_DOMAIN = 'ai.onnx.ml';

/**
 * sklearn-onnx ends a classifier in `ai.onnx.ml.ZipMap`, whose output (a sequence of maps) onnxruntime-node cannot
 * return. For each graph output produced by a ZipMap, the node is removed and the probability tensor it consumed
 * becomes the graph output under the same name, typed float32 [N, classes]. Nothing else changes; the same input
 * always gives the same bytes.
 */
export function rewriteZipMap(bytes: Uint8Array, source?: string): ZipMapRewrite {
  const model = decodeModel(bytes, source);
  const graph = model.graph;
  if (!graph) return { bytes, rewritten: false, outputs: [] };
  const outputNames = new Set((graph.output ?? []).map((o) => o.name));
  const zipmaps = (graph.node ?? []).filter(
    (n) => n.opType === ZIPMAP && (n.domain ?? '') === ML_DOMAIN && n.output?.length === 1 && outputNames.has(n.output[0]) && n.input?.length === 1,
  );
  if (zipmaps.length === 0) return { bytes, rewritten: false, outputs: [] };

  const rewrittenOutputs: string[] = [];
  for (const node of zipmaps) {
    const probabilities = node.input![0];
    const output = node.output![0];
    const classes = classCount(node);
    // The producer's tensor takes the graph output's name; every other reader of it follows the rename.
    for (const n of graph.node ?? []) {
      if (n === node) continue;
      n.output = (n.output ?? []).map((name) => (name === probabilities ? output : name));
      n.input = (n.input ?? []).map((name) => (name === probabilities ? output : name));
    }
    const graphOutput = graph.output!.find((o) => o.name === output)!;
    graphOutput.type = onnx.TypeProto.create({
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: [{ dimParam: batchDim(graph) }, classes > 0 ? { dimValue: classes } : { dimParam: 'classes' }] },
      },
    });
    graph.valueInfo = (graph.valueInfo ?? []).filter((v) => v.name !== probabilities && v.name !== output);
    rewrittenOutputs.push(output);
  }
  graph.node = (graph.node ?? []).filter((n) => !zipmaps.includes(n));
  return { bytes: onnx.ModelProto.encode(model).finish(), rewritten: true, outputs: rewrittenOutputs };
}

function classCount(node: onnx.INodeProto): number {
  for (const attribute of node.attribute ?? []) {
    if (attribute.name === 'classlabels_int64s') return attribute.ints?.length ?? 0;
    if (attribute.name === 'classlabels_strings') return attribute.strings?.length ?? 0;
  }
  return 0;
}

/** The symbolic batch dimension the graph's first input uses (e.g. 'N' or 'unk__6'), or 'N'. */
function batchDim(graph: onnx.IGraphProto): string {
  for (const input of graph.input ?? []) {
    const first = input.type?.tensorType?.shape?.dim?.[0];
    if (first?.dimParam) return first.dimParam;
  }
  return 'N';
}

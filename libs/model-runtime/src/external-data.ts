import { ModelLoadError, ModelLoadErrorCode } from './model-runtime.errors';

/**
 * Where a model refers to data outside its own bytes. onnxruntime resolves a tensor's external `location` against the
 * process's working directory when a model is loaded from a buffer, so such a model could read the engine's files
 * (its keys among them), and its sha256 would not cover what it computes with. Verdict models are self-contained.
 *
 * This reads the protobuf wire format itself rather than a decoded ModelProto: a decoder keeps only the last copy of
 * a repeated singular field (and drops fields it does not know), while onnxruntime's parser merges every copy, so only
 * a walk over every occurrence sees what onnxruntime will.
 */

type Kind = 'model' | 'training' | 'function' | 'graph' | 'node' | 'attribute' | 'sparse' | 'tensor';

/** The fields (by number, from onnx.proto) that hold messages which can hold a tensor. */
const CHILDREN: Record<Kind, Readonly<Record<number, Kind>>> = {
  model: { 7: 'graph', 20: 'training', 25: 'function' },
  training: { 1: 'graph', 2: 'graph' },
  // FunctionProto.attribute_proto (11): default attribute values, onnx ≥ 1.13.
  function: { 7: 'node', 11: 'attribute' },
  graph: { 1: 'node', 5: 'tensor', 15: 'sparse' },
  node: { 5: 'attribute' },
  attribute: { 5: 'tensor', 6: 'graph', 10: 'tensor', 11: 'graph', 22: 'sparse', 23: 'sparse' },
  sparse: { 1: 'tensor', 2: 'tensor' },
  tensor: {},
};
/** The string field that names a message, for the reason's path. */
const NAME_FIELD: Partial<Record<Kind, number>> = { function: 1, graph: 2, node: 3, attribute: 1, tensor: 8 };
const TENSOR_EXTERNAL_DATA = 13;
const TENSOR_DATA_LOCATION = 14;
/** protobuf's own default nesting limit; onnxruntime refuses deeper models anyway. */
const MAX_DEPTH = 100;

class WireError extends Error {}

interface Cursor {
  readonly bytes: Uint8Array;
  pos: number;
}

function varint(c: Cursor, end: number): number {
  let value = 0;
  for (let shift = 0; shift < 64; shift += 7) {
    if (c.pos >= end) throw new WireError('truncated varint');
    const byte = c.bytes[c.pos++] as number;
    // Only small values matter here (tags, lengths, an enum); larger ones are kept approximately.
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return value;
  }
  throw new WireError('varint longer than 10 bytes');
}

const LABELS: Record<Kind, string> = {
  model: 'model', training: 'training info', function: 'function', graph: 'graph', node: 'node', attribute: 'attribute',
  sparse: 'sparse tensor', tensor: 'tensor',
};

function label(parent: Kind, kind: Kind, name: string | undefined): string {
  const what = kind === 'graph' && parent === 'attribute' ? 'subgraph' : LABELS[kind];
  return name ? `${what} "${name}"` : what;
}

/** Scans one message; returns the paths (innermost last) to every tensor in it that stores its data externally. */
function scan(c: Cursor, end: number, kind: Kind, depth: number): { name?: string; found: string[][] } {
  if (depth > MAX_DEPTH) throw new WireError(`nested more than ${MAX_DEPTH} levels deep`);
  const found: string[][] = [];
  let name: string | undefined;
  let external = false;
  while (c.pos < end) {
    const tag = varint(c, end);
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    if (field === 0) throw new WireError('field number 0');
    if (wire === 0) {
      const value = varint(c, end);
      if (kind === 'tensor' && field === TENSOR_DATA_LOCATION && value !== 0) external = true;
    } else if (wire === 1 || wire === 5) {
      c.pos += wire === 1 ? 8 : 4;
    } else if (wire === 2) {
      const length = varint(c, end);
      const stop = c.pos + length;
      if (stop > end) throw new WireError('a field runs past the end of its message');
      const child = CHILDREN[kind][field];
      if (child) {
        const inner = scan(c, stop, child, depth + 1);
        for (const path of inner.found) found.push([label(kind, child, inner.name), ...path]);
      } else if (field === NAME_FIELD[kind]) {
        name = Buffer.from(c.bytes.buffer, c.bytes.byteOffset + c.pos, length).toString('utf8');
      } else if (kind === 'tensor' && field === TENSOR_EXTERNAL_DATA) {
        external = true;
      }
      c.pos = stop;
    } else {
      throw new WireError(`wire type ${wire} (ONNX uses none)`);
    }
    if (c.pos > end) throw new WireError('a field runs past the end of its message');
  }
  if (external) found.push([]);
  return { name, found };
}

const ORT_FORMAT_ID = 'ORTM';

/**
 * The places in the model that refer to external data, e.g. `graph "g" › tensor "W"` or `graph "g" › node "if" ›
 * attribute "then_branch" › subgraph "then" › node "c" › attribute "value" › tensor`; empty for a self-contained model.
 * @throws ModelLoadError (InvalidModel) when the bytes are not a well-formed protobuf message.
 */
export function externalDataReferences(bytes: Uint8Array, source = 'model'): string[] {
  // onnxruntime also loads its own flatbuffer format, which is not ONNX and which nothing here can check.
  if (bytes.length >= 8 && Buffer.from(bytes.buffer, bytes.byteOffset + 4, 4).toString('latin1') === ORT_FORMAT_ID) {
    throw new ModelLoadError(ModelLoadErrorCode.InvalidModel, source, 'the file is an ORT-format model, not ONNX; register the .onnx model');
  }
  try {
    return scan({ bytes, pos: 0 }, bytes.length, 'model', 0).found.map((path) => path.join(' › '));
  } catch (e) {
    if (!(e instanceof WireError)) throw e;
    throw new ModelLoadError(ModelLoadErrorCode.InvalidModel, source, `the file is not a valid ONNX model (protobuf: ${e.message})`);
  }
}

/** Refuses a model that is not self-contained, before onnxruntime would read the files it names. */
export function checkSelfContained(bytes: Uint8Array, source = 'model'): void {
  const references = externalDataReferences(bytes, source);
  if (references.length === 0) return;
  const shown = references.slice(0, 3).join('; ') + (references.length > 3 ? `; and ${references.length - 3} more` : '');
  throw new ModelLoadError(
    ModelLoadErrorCode.ExternalData,
    source,
    `the model stores tensor data outside its own bytes (${shown}); a Verdict model must be self-contained: ` +
      'save it with the data embedded (onnx.save_model(model, path, save_as_external_data=False))',
  );
}

import { onnx } from 'onnx-proto';
import { checkSelfContained, externalDataReferences } from './external-data';
import { ModelLoadErrorCode, type ModelLoadError } from './model-runtime.errors';
import { OnnxModelRuntime } from './onnx-model-runtime';
import { RawInferenceSession } from './raw-inference-session';
import { ReplaySession } from './replay-session';
import { buildLogisticTestModel } from './testing/build-test-model';
import { buildExternalDataModel, encodeModel, externalDataGraph, externalTensor, node, valueInfo } from './testing/misfit-test-models';

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT32 = onnx.TensorProto.DataType.INT32;
const { AttributeType } = onnx.AttributeProto;

/** Y = Cast(tensor) where the tensor comes from a Constant node's `value` attribute. */
const constantGraph = (name: string, value: onnx.ITensorProto): onnx.IGraphProto => ({
  name,
  output: [valueInfo('Y', INT32)],
  node: [node('Constant', [], ['c'], [{ name: 'value', type: AttributeType.TENSOR, t: value }]), node('Cast', ['c'], ['Y'], [{ name: 'to', type: AttributeType.INT, i: INT32 }])],
});

/** Top-level: If(cond) with a then_branch and else_branch; the branches are given. */
const ifGraph = (thenBranch: onnx.IGraphProto, elseBranch: onnx.IGraphProto): onnx.IGraphProto => ({
  name: 'main',
  input: [valueInfo('cond', onnx.TensorProto.DataType.BOOL, [])],
  output: [valueInfo('Y', INT32)],
  node: [
    node('If', ['cond'], ['Y'], [
      { name: 'then_branch', type: AttributeType.GRAPH, g: thenBranch },
      { name: 'else_branch', type: AttributeType.GRAPH, g: elseBranch },
    ]),
  ],
});

const embedded = (name: string): onnx.ITensorProto => ({ name, dims: [1], dataType: onnx.TensorProto.DataType.UINT8, rawData: new Uint8Array([7]) });
const loadError = async (p: Promise<unknown>): Promise<ModelLoadError> => p.then(() => { throw new Error('loaded'); }, (e: ModelLoadError) => e);

describe('external data: a model must be self-contained', () => {
  it('finds nothing in a self-contained model', () => {
    expect(externalDataReferences(buildLogisticTestModel({ features: ['a', 'b'], weights: [1, 2], bias: 0 }))).toEqual([]);
    expect(externalDataReferences(encodeModel(ifGraph(constantGraph('then', embedded('t')), constantGraph('else', embedded('e')))))).toEqual([]);
  });

  it('finds a graph initializer stored outside the model, and names where it is', () => {
    expect(externalDataReferences(buildExternalDataModel('package.json', 4))).toEqual(['graph "reads_a_file" › tensor "W"']);
  });

  it("finds a Constant node's value attribute stored outside", () => {
    expect(externalDataReferences(encodeModel(constantGraph('main', externalTensor('v', 'package.json', 4))))).toEqual([
      'graph "main" › node "c" › attribute "value" › tensor "v"',
    ]);
  });

  it('finds external data inside a subgraph (If branches, nested), and in TENSORS, GRAPHS and sparse attributes', () => {
    const inner = ifGraph(constantGraph('deep', externalTensor('d', 'x.bin', 1)), constantGraph('fine', embedded('f')));
    const nested = encodeModel(ifGraph(constantGraph('then', embedded('t')), { ...inner, name: 'else' }));
    expect(externalDataReferences(nested)).toEqual([
      'graph "main" › node "Y" › attribute "else_branch" › subgraph "else" › node "Y" › attribute "then_branch" › subgraph "deep" › node "c" › attribute "value" › tensor "d"',
    ]);
    const attributes = encodeModel({
      name: 'main',
      output: [valueInfo('Y', FLOAT)],
      node: [
        node('Custom', [], ['Y'], [
          { name: 'ts', type: AttributeType.TENSORS, tensors: [embedded('ok'), externalTensor('t2', 'x.bin', 1)] },
          { name: 'gs', type: AttributeType.GRAPHS, graphs: [constantGraph('g1', externalTensor('t3', 'x.bin', 1))] },
          { name: 'sp', type: AttributeType.SPARSE_TENSOR, sparseTensor: { values: externalTensor('t4', 'x.bin', 1), indices: embedded('i'), dims: [4] } },
        ]),
      ],
    });
    expect(externalDataReferences(attributes)).toEqual([
      'graph "main" › node "Y" › attribute "ts" › tensor "t2"',
      'graph "main" › node "Y" › attribute "gs" › subgraph "g1" › node "c" › attribute "value" › tensor "t3"',
      'graph "main" › node "Y" › attribute "sp" › sparse tensor › tensor "t4"',
    ]);
  });

  it('finds sparse initializers and function bodies stored outside', () => {
    const sparse = encodeModel({ name: 'main', output: [valueInfo('Y', FLOAT)], sparseInitializer: [{ values: externalTensor('sv', 'x.bin', 1), indices: embedded('si'), dims: [4] }] });
    expect(externalDataReferences(sparse)).toEqual(['graph "main" › sparse tensor › tensor "sv"']);
    const fn = encodeModel(constantGraph('main', embedded('ok')), {
      functions: [{ name: 'leaky', domain: 'local', node: [node('Constant', [], ['c'], [{ name: 'value', type: AttributeType.TENSOR, t: externalTensor('fv', 'x.bin', 1) }])] }],
    });
    expect(externalDataReferences(fn)).toEqual(['function "leaky" › node "c" › attribute "value" › tensor "fv"']);
  });

  it('counts a data_location of EXTERNAL or any external_data entry, each on its own', () => {
    const onlyLocation = { ...embedded('a'), dataLocation: onnx.TensorProto.DataLocation.EXTERNAL };
    const onlyEntries = { ...embedded('b'), externalData: [{ key: 'location', value: 'x.bin' }] };
    expect(externalDataReferences(encodeModel({ name: 'g', initializer: [onlyLocation, onlyEntries] }))).toHaveLength(2);
  });

  it('sees every copy of a field, as onnxruntime merges them, where a decoder would keep only the last', () => {
    // Two `graph` fields: protobufjs keeps the second (clean) one; onnxruntime's parser merges both.
    const leaking = encodeModel(externalDataGraph('package.json', 4));
    const clean = encodeModel(constantGraph('clean', embedded('c')));
    const merged = Buffer.concat([leaking, clean]);
    expect((onnx.ModelProto.decode(merged).graph?.initializer ?? []).length).toBe(0);
    expect(externalDataReferences(merged)).toEqual(['graph "reads_a_file" › tensor "W"']);
  });

  it('refuses bytes that are not a protobuf message, and the ORT flatbuffer format', () => {
    expect(() => externalDataReferences(new Uint8Array([0x3a, 0x10, 1, 2]))).toThrow(/not a valid ONNX model/);
    expect(() => externalDataReferences(Buffer.from('\x10\x00\x00\x00ORTMxxxxxxxx', 'latin1'))).toThrow(/ORT-format/);
  });

  it('throws EXTERNAL_DATA naming the tensor, and how to embed it', () => {
    let error: ModelLoadError | undefined;
    try {
      checkSelfContained(buildExternalDataModel('package.json', 4), 'm@1');
    } catch (e) {
      error = e as ModelLoadError;
    }
    expect(error?.code).toBe(ModelLoadErrorCode.ExternalData);
    expect(error?.message).toMatch(/tensor "W".*must be self-contained.*save_as_external_data=False/);
  });

  // "package.json" exists in the working directory: onnxruntime would load these models and read it.
  it('is refused by every way a session is opened, before onnxruntime reads the file', async () => {
    const bytes = buildExternalDataModel('package.json', 4);
    expect((await loadError(RawInferenceSession.load(bytes, 'raw'))).code).toBe(ModelLoadErrorCode.ExternalData);
    const recorded = { inputName: 'X', outputNames: ['Y'], scoreOutput: { name: 'Y', column: 0 }, executionProviders: ['cpu'], sessionOptions: {} };
    expect((await loadError(ReplaySession.open(bytes, recorded, 'replay'))).code).toBe(ModelLoadErrorCode.ExternalData);
    const deciding = encodeModel({
      name: 'g',
      input: [valueInfo('X', FLOAT, ['N', 1])],
      output: [valueInfo('probabilities', FLOAT, ['N', 2])],
      initializer: [externalTensor('W', 'package.json', 4)],
      node: [node('Identity', ['X'], ['probabilities'])],
    });
    expect((await loadError(OnnxModelRuntime.fromBytes(deciding, { source: 'decide', features: ['amount'] }))).code).toBe(ModelLoadErrorCode.ExternalData);
  });
});

import { onnx } from 'onnx-proto';
import { ModelLoadError, ModelLoadErrorCode } from './model-runtime.errors';
import { VERDICT_METADATA_KEYS } from './verdict-metadata-keys';

export { VERDICT_METADATA_KEYS };

export interface ScoreOutputRef {
  readonly name: string;
  readonly column: number;
}

/** What we read from the ModelProto itself; onnxruntime-node does not expose custom metadata. */
export interface ModelProtoSummary {
  readonly irVersion: number;
  readonly producer: string;
  readonly opsets: readonly { readonly domain: string; readonly version: number }[];
  readonly modelVersion: number;
  readonly metadata: Readonly<Record<string, string>>;
}

export interface VerdictMetadata {
  readonly features?: string[];
  readonly baseline?: number[];
  readonly scoreOutput?: ScoreOutputRef;
  readonly modelName?: string;
  readonly modelVersion?: string;
}

const toNumber = (v: number | { toString(): string } | null | undefined): number =>
  v == null ? 0 : typeof v === 'number' ? v : Number(v.toString());

export function readModelProto(bytes: Uint8Array, path: string): ModelProtoSummary {
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (cause) {
    throw new ModelLoadError(
      ModelLoadErrorCode.InvalidModel,
      path,
      `the file is not a valid ONNX model (protobuf decoding failed: ${(cause as Error).message})`,
      { cause },
    );
  }
  if (!model.graph || (model.graph.node ?? []).length === 0) {
    throw new ModelLoadError(ModelLoadErrorCode.InvalidModel, path, 'the file is not an ONNX model with a graph');
  }
  const metadata: Record<string, string> = {};
  for (const entry of model.metadataProps ?? []) {
    if (entry.key) metadata[entry.key] = entry.value ?? '';
  }
  return {
    irVersion: toNumber(model.irVersion),
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
    opsets: (model.opsetImport ?? []).map((o) => ({ domain: o.domain || 'ai.onnx', version: toNumber(o.version) })),
    modelVersion: toNumber(model.modelVersion),
    metadata,
  };
}

/** Parses "name:column" (the last colon separates, so output names may contain colons). */
export function parseScoreOutputRef(text: string): ScoreOutputRef | undefined {
  const at = text.lastIndexOf(':');
  if (at <= 0) return undefined;
  const column = text.slice(at + 1);
  if (!/^\d+$/.test(column)) return undefined;
  return { name: text.slice(0, at), column: Number(column) };
}

function parseJsonArray(metadata: Readonly<Record<string, string>>, key: string, path: string): unknown[] | undefined {
  const raw = metadata[key];
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (cause) {
    throw new ModelLoadError(ModelLoadErrorCode.InvalidMetadata, path, `metadata "${key}" is not valid JSON: ${raw}`, {
      cause,
    });
  }
  if (!Array.isArray(parsed)) {
    throw new ModelLoadError(ModelLoadErrorCode.InvalidMetadata, path, `metadata "${key}" must be a JSON array`);
  }
  return parsed;
}

export function readVerdictMetadata(metadata: Readonly<Record<string, string>>, path: string): VerdictMetadata {
  const features = parseJsonArray(metadata, VERDICT_METADATA_KEYS.features, path);
  if (features && !features.every((f): f is string => typeof f === 'string')) {
    throw new ModelLoadError(
      ModelLoadErrorCode.InvalidMetadata,
      path,
      `metadata "${VERDICT_METADATA_KEYS.features}" must be an array of feature names (strings)`,
    );
  }
  const baseline = parseJsonArray(metadata, VERDICT_METADATA_KEYS.baseline, path);
  if (baseline && !baseline.every((b): b is number => typeof b === 'number')) {
    throw new ModelLoadError(
      ModelLoadErrorCode.InvalidMetadata,
      path,
      `metadata "${VERDICT_METADATA_KEYS.baseline}" must be an array of numbers`,
    );
  }
  const scoreOutputText = metadata[VERDICT_METADATA_KEYS.scoreOutput];
  const scoreOutput = scoreOutputText === undefined ? undefined : parseScoreOutputRef(scoreOutputText);
  if (scoreOutputText !== undefined && !scoreOutput) {
    throw new ModelLoadError(
      ModelLoadErrorCode.InvalidMetadata,
      path,
      `metadata "${VERDICT_METADATA_KEYS.scoreOutput}" must look like "<output name>:<column>", got "${scoreOutputText}"`,
    );
  }
  return {
    features: features as string[] | undefined,
    baseline: baseline as number[] | undefined,
    scoreOutput,
    modelName: metadata[VERDICT_METADATA_KEYS.modelName] || undefined,
    modelVersion: metadata[VERDICT_METADATA_KEYS.modelVersion] || undefined,
  };
}

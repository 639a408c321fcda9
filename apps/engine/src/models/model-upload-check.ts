import {
  featureColumnName,
  FeaturePlan,
  type ModelManifest,
  type ModelRewrite,
  type ModelSignature,
  trainingStatisticsProblems,
} from '@verdict/domain';
import {
  checkSelfContained,
  isModelLoadError,
  isModelScoreError,
  OnnxModelRuntime,
  RawInferenceSession,
  readModelProto,
  readModelSignature,
  readVerdictMetadata,
  rewriteZipMap,
  trialRun,
} from '@verdict/model-runtime';
import { createHash } from 'node:crypto';

/** The upload cannot be used: answered 422 with `reasons` (each one thing to fix). Nothing is written. */
export class UnusableModelError extends Error {
  constructor(readonly reasons: readonly string[]) {
    super(reasons.join('; '));
    this.name = 'UnusableModelError';
  }
}

export interface CheckedUpload {
  readonly sha256: string;
  readonly sizeBytes: number;
  /** The bytes the runtime will load: the upload, or its rewritten graph. */
  readonly served: Uint8Array;
  readonly servedSha256: string;
  readonly rewrites: readonly ModelRewrite[];
  readonly signature: ModelSignature;
  /** The uploaded manifest completed from the model's `verdict.*` metadata. */
  readonly manifest: ModelManifest;
}

const sha256Of = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));
/** A load error's message without its "Cannot load model <source>: " prefix (the reason is about this upload). */
const reasonOf = (e: unknown): string => message(e).replace(/^Cannot load model [^:]+: /, '');

/**
 * Everything a registration checks before anything is written: the model is self-contained (no external data),
 * onnxruntime loads the (rewritten) graph, its signature is read, and the manifest is checked against it. With
 * features, the version is loaded exactly as a deployment would load it and scores a trial batch as decisions do, so
 * a version that registers can be deployed.
 */
export async function checkModelUpload(bytes: Uint8Array, uploaded: ModelManifest, source: string): Promise<CheckedUpload> {
  let proto;
  try {
    proto = readModelProto(bytes, source);
    checkSelfContained(bytes, source);
  } catch (e) {
    throw new UnusableModelError([reasonOf(e)]);
  }
  const rewrite = rewriteZipMap(bytes);
  const served = rewrite.bytes;
  let signature: ModelSignature;
  try {
    const session = await RawInferenceSession.load(served);
    signature = session.signature;
    await session.close();
  } catch (e) {
    throw new UnusableModelError([`onnxruntime cannot load the model: ${message(e)}`]);
  }
  let meta;
  try {
    meta = readVerdictMetadata(proto.metadata, source);
  } catch (e) {
    throw new UnusableModelError([message(e)]);
  }
  // The metadata's baseline belongs to the metadata's features: it fills in only when the features do.
  const fromMetadata = uploaded.features === undefined && meta.features !== undefined;
  const manifest: ModelManifest = {
    ...uploaded,
    ...(fromMetadata ? { features: meta.features } : {}),
    ...(fromMetadata && uploaded.baseline === undefined && meta.baseline ? { baseline: meta.baseline } : {}),
    ...(uploaded.scoreOutput === undefined && meta.scoreOutput ? { scoreOutput: meta.scoreOutput } : {}),
  };
  const reasons = checkAgainstSignature(manifest, signature);
  if (reasons.length > 0) throw new UnusableModelError(reasons);
  if (manifest.features !== undefined) await checkDecisionLoad(served, manifest, source);
  return {
    sha256: sha256Of(bytes),
    sizeBytes: bytes.length,
    served,
    servedSha256: rewrite.rewritten ? sha256Of(served) : sha256Of(bytes),
    rewrites: rewrite.rewritten ? ['zipmap'] : [],
    signature,
    manifest,
  };
}

function checkAgainstSignature(manifest: ModelManifest, signature: ModelSignature): string[] {
  const reasons: string[] = [];
  if (manifest.features !== undefined) {
    try {
      new FeaturePlan(manifest.features);
    } catch (e) {
      reasons.push(`manifest features: ${message(e)}`);
    }
    if (manifest.baseline !== undefined && manifest.baseline.length !== manifest.features.length) {
      reasons.push(`manifest baseline has ${manifest.baseline.length} values for ${manifest.features.length} features`);
    }
  }
  if (manifest.trainingStatistics !== undefined) {
    reasons.push(...trainingStatisticsProblems(manifest.trainingStatistics, manifest.features?.map(featureColumnName)));
  }
  if (manifest.scoreOutput !== undefined) {
    const output = signature.outputs.find((o) => o.name === manifest.scoreOutput?.name);
    if (output === undefined) {
      reasons.push(`score output "${manifest.scoreOutput.name}" is not an output of the model (outputs: ${signature.outputs.map((o) => o.name).join(', ')})`);
    } else {
      const columns = output.shape.length === 2 ? output.shape[1] : output.shape.length === 1 ? 1 : null;
      if (typeof columns === 'number' && manifest.scoreOutput.column >= columns) {
        reasons.push(`score output "${output.name}" has ${columns} column(s); column ${manifest.scoreOutput.column} does not exist`);
      }
    }
  }
  return reasons;
}

/**
 * Loads the version as a decision runtime (single float32 [N, F] input, F = features, a score output) and runs it
 * on a trial batch: shapes a session only meets at run time (a width other than F, a score output that ignores N)
 * would otherwise fail every decision.
 */
async function checkDecisionLoad(served: Uint8Array, manifest: ModelManifest, source: string): Promise<void> {
  let runtime;
  try {
    runtime = await OnnxModelRuntime.fromBytes(served, {
      source,
      features: (manifest.features ?? []).map(featureColumnName),
      baseline: manifest.baseline,
      scoreOutput: manifest.scoreOutput,
    });
  } catch (e) {
    if (isModelLoadError(e)) throw new UnusableModelError([reasonOf(e)]);
    throw e;
  }
  try {
    await trialRun(runtime);
  } catch (e) {
    if (isModelScoreError(e)) throw new UnusableModelError([message(e)]);
    throw e;
  } finally {
    await runtime.close();
  }
}

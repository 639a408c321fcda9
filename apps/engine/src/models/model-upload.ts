import { isUtf8 } from 'node:buffer';
import type { FastifyRequest } from 'fastify';
import { modelManifestSchema, validateObject, type ModelManifest } from '@verdict/domain';
import { formatBytes } from '../http/problem-mapping';
import { ProblemException } from '../http/problem.exception';
import { unstorableTextAt } from '../http/unstorable-text';

/** Largest model accepted (bytes); a larger upload is a 413. Configurable with VERDICT_MODEL_MAX_BYTES. */
export const DEFAULT_MODEL_MAX_BYTES = 256 * 1024 * 1024;
const MANIFEST_MAX_BYTES = 1024 * 1024;

export interface ModelUpload {
  readonly bytes: Uint8Array;
  readonly manifest: ModelManifest;
}

const invalid = (path: string, message: string): ProblemException =>
  new ProblemException('invalid-model-upload', `The upload is malformed: ${path.slice(1)} ${message}.`, { errors: [{ path, message }] });

/**
 * Reads a `multipart/form-data` registration: a `model` part (the .onnx bytes, as a file) and an optional
 * `manifest` part (JSON, as a plain field or as a file). Any other part, a part given twice, or no `model` is a 400.
 */
export async function readModelUpload(request: FastifyRequest, maxBytes: number): Promise<ModelUpload> {
  if (!request.isMultipart()) {
    throw new ProblemException('unsupported-media-type', 'Register a model with Content-Type: multipart/form-data (parts "model" and "manifest").');
  }
  try {
    return await readParts(request, maxBytes);
  } catch (e) {
    if (e instanceof ProblemException) throw e;
    // The parser's refusals, in this route's terms (its bare 413 or 400 would say nothing of them).
    const code = (e as { code?: unknown }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new ProblemException('payload-too-large', `The upload exceeds its limits: the model may have ${maxBytes} bytes (VERDICT_MODEL_MAX_BYTES), the manifest ${formatBytes(MANIFEST_MAX_BYTES)}.`);
    }
    if (code === 'FST_PARTS_LIMIT' || code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT') {
      const message = 'has more parts than "model" and "manifest"';
      throw new ProblemException('invalid-model-upload', `The upload ${message}.`, { errors: [{ path: '', message }] });
    }
    // Its other errors (a body cut short, a boundary never found, a part with a bad header): the body is malformed.
    const message = `is not well-formed multipart/form-data (${(e as Error).message})`;
    throw new ProblemException('invalid-model-upload', `The upload ${message}.`, { errors: [{ path: '', message }] });
  }
}

async function readParts(request: FastifyRequest, maxBytes: number): Promise<ModelUpload> {
  let bytes: Uint8Array | undefined;
  let manifestText: string | undefined;
  for await (const part of request.parts({ limits: { fileSize: Math.max(maxBytes, MANIFEST_MAX_BYTES), files: 2, fields: 2, parts: 2 } })) {
    if (part.fieldname !== 'model' && part.fieldname !== 'manifest') {
      if (part.type === 'file') part.file.resume();
      throw invalid(`/${part.fieldname}`, 'is not a known part (expected "model" and optionally "manifest")');
    }
    if ((part.fieldname === 'model' && bytes) || (part.fieldname === 'manifest' && manifestText !== undefined)) {
      if (part.type === 'file') part.file.resume();
      throw invalid(`/${part.fieldname}`, 'is given twice');
    }
    if (part.fieldname === 'model') {
      if (part.type !== 'file') throw invalid('/model', 'must be a file part holding the .onnx bytes');
      const data = await part.toBuffer();
      if (data.length > maxBytes || part.file.truncated) {
        throw new ProblemException('payload-too-large', `The model exceeds the ${maxBytes}-byte limit (VERDICT_MODEL_MAX_BYTES).`);
      }
      if (data.length === 0) throw invalid('/model', 'is empty');
      bytes = new Uint8Array(data.buffer, data.byteOffset, data.length);
    } else {
      const raw = part.type === 'file' ? await part.toBuffer() : undefined;
      // As for a JSON body: bytes that are not UTF-8 would be decoded into U+FFFD and stored so.
      if (raw !== undefined && !isUtf8(raw)) throw invalid('/manifest', 'is not UTF-8 text');
      manifestText = raw !== undefined ? raw.toString('utf8') : String((part as { value: unknown }).value);
      if (manifestText.length > MANIFEST_MAX_BYTES) throw new ProblemException('payload-too-large', `The manifest exceeds ${formatBytes(MANIFEST_MAX_BYTES)}.`);
    }
  }
  if (!bytes) throw invalid('/model', 'is required');
  return { bytes, manifest: parseManifest(manifestText) };
}

function parseManifest(text: string | undefined): ModelManifest {
  if (text === undefined || text.trim() === '') return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw invalid('/manifest', `is not valid JSON (${(e as Error).message})`);
  }
  // As for a JSON body (json-body-parser.ts): PostgreSQL cannot keep a NUL, and a lone surrogate is not text.
  const unstorable = unstorableTextAt(text, json);
  if (unstorable) throw invalid(`/manifest${unstorable.path}`, unstorable.message);
  const result = validateObject(modelManifestSchema, json, '/manifest');
  if (!result.ok) {
    throw new ProblemException('validation-failed', `The manifest has ${result.errors.length} invalid field(s).`, { errors: result.errors });
  }
  return result.value as ModelManifest;
}

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { JsonResponse, RunningEngine } from './engine-harness';

const ROOT = path.resolve(__dirname, '..', '..');
export const DEMO_MODEL_PATH = path.join(ROOT, 'models/fraud-demo/1.0.0/model.onnx');
export const demoModelBytes = (): Buffer => readFileSync(DEMO_MODEL_PATH);

type Policy = { version: string; reviewThreshold: number; declineThreshold: number };
const policyOf = (version: string): Policy =>
  (JSON.parse(readFileSync(path.join(ROOT, `models/fraud-demo/${version}/model.json`), 'utf8')) as { policy: Policy }).policy;

/** The request-only demo model's recommended policy (models/fraud-demo/1.0.0/model.json). */
export const demoPolicy = (): Policy => policyOf('1.0.0');

/** The version a fresh start makes champion (the newest bundled one, which reads history features), and its policy. */
export const BOOTSTRAP_VERSION = '2.0.0';
export const bootstrapPolicy = (): Policy => policyOf(BOOTSTRAP_VERSION);
export const bootstrapModelBytes = (): Buffer => readFileSync(path.join(ROOT, `models/fraud-demo/${BOOTSTRAP_VERSION}/model.onnx`));

/** Registers `bytes` as name@version over real HTTP (multipart), with an optional manifest. */
export function register(engine: RunningEngine, name: string, version: string, bytes: Uint8Array, manifest?: unknown, asFile = false): Promise<JsonResponse> {
  const form = new FormData();
  form.append('model', new Blob([bytes]), `${name}.onnx`);
  if (manifest !== undefined) {
    const text = JSON.stringify(manifest);
    if (asFile) form.append('manifest', new Blob([text], { type: 'application/json' }), 'manifest.json');
    else form.append('manifest', text);
  }
  return engine.upload(`/v1/models/${name}/versions/${version}`, form);
}

/** A deployment change; throws with the problem when it is not 200. */
export async function change(engine: RunningEngine, method: string, p: string, body: unknown, headers: Record<string, string> = {}): Promise<{ revision: number; [k: string]: unknown }> {
  const res = await engine.send(method, `/v1/deployment${p}`, body, headers);
  const json = await res.json();
  if (res.status !== 200) throw new Error(`${method} /v1/deployment${p} → ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The repository root: two levels above libs/config/src, also after compilation into dist/. */
export function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

export const DEFAULT_MODEL_DIR = 'models/fraud-demo';

const SEMVER = /^(\d+)\.(\d+)\.(\d+)$/;

/** The versions of the bundled demo model, oldest first: each `<dir>/<x.y.z>/model.onnx`. */
export function bundledModelPaths(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && SEMVER.test(e.name) && existsSync(path.join(dir, e.name, 'model.onnx')))
    .map((e) => e.name.split('.').map(Number))
    .sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number) || (a[2] as number) - (b[2] as number))
    .map((v) => path.join(dir, v.join('.'), 'model.onnx'));
}

export interface ModelSidecar {
  policy?: { version?: string; reviewThreshold?: number; declineThreshold?: number };
}

/** Reads the model's sidecar (model.json beside model.onnx) for the recommended policy, when there is one. */
export function readSidecar(modelPath: string): ModelSidecar {
  const sidecar = path.join(path.dirname(modelPath), 'model.json');
  if (!existsSync(sidecar)) return {};
  return JSON.parse(readFileSync(sidecar, 'utf8')) as ModelSidecar;
}

import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface CpuProfile {
  readonly nodes: readonly { readonly id: number; readonly callFrame: CallFrame }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface ProfileShare {
  readonly name: string;
  /** Share of all sampled time, in percent. */
  readonly percent: number;
}

export interface ProfileSummary {
  readonly file: string;
  readonly sampledSeconds: number;
  /** Self time grouped by npm package, Verdict app/lib, Node internals or V8 bucket (GC, idle, program). */
  readonly byComponent: readonly ProfileShare[];
  /** Self time of the hottest functions. */
  readonly topFunctions: readonly ProfileShare[];
}

/** Which part of the system a frame belongs to: an npm package, a Verdict app/lib, node internals or a V8 bucket. */
export function componentOf(frame: CallFrame, root: string): string {
  const url = frame.url.replace(/^file:\/\//, '');
  if (!url) return frame.functionName ? `(${frame.functionName.replace(/^\(|\)$/g, '')})` : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return `npm:${pkg[1]}`;
  const rel = path.relative(root, url).replace(/\\/g, '/');
  const own = /^(?:dist\/)?((?:apps|libs|tools)\/[^/]+)/.exec(rel);
  return own ? own[1] : rel;
}

function functionLabel(frame: CallFrame, root: string): string {
  const url = frame.url.replace(/^file:\/\//, '');
  const where = url ? `${path.relative(root, url).replace(/^.*node_modules\//, '')}:${frame.lineNumber + 1}` : '';
  return `${frame.functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
}

const top = (m: Map<string, number>, total: number, n: number): ProfileShare[] =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, t]) => ({ name, percent: Math.round((1000 * t) / total) / 10 }));

/** Self time of a V8 .cpuprofile (as written by `node --cpu-prof`), grouped two ways. */
export function summarizeCpuProfile(file: string, root: string, topN = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const byComponent = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const frame = frames.get(id);
    if (!frame || dt <= 0) return;
    total += dt;
    const c = componentOf(frame, root);
    byComponent.set(c, (byComponent.get(c) ?? 0) + dt);
    const f = functionLabel(frame, root);
    byFunction.set(f, (byFunction.get(f) ?? 0) + dt);
  });
  if (total === 0) throw new RangeError(`${file} holds no samples`);
  return { file, sampledSeconds: total / 1e6, byComponent: top(byComponent, total, topN), topFunctions: top(byFunction, total, topN) };
}

/** The newest .cpuprofile in a directory (node names them by date and pid), or undefined. */
export function newestCpuProfile(dir: string): string | undefined {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => path.join(dir, f));
  return files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface CpuProfile {
  readonly nodes: readonly { readonly id: number; readonly callFrame: CallFrame; readonly children?: readonly number[] }[];
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
  /** Each sample charged to the innermost frame of its stack that belongs to a known activity (ACTIVITIES). */
  readonly byActivity: readonly ProfileShare[];
}

/**
 * What the engine is doing, by where the code lives; checked in order on each frame, innermost frame first, so a
 * TypeORM query made by a projection counts as projection, and a decision's features as domain work.
 */
const ACTIVITIES: readonly (readonly [name: string, match: (f: CallFrame) => boolean])[] = [
  ['projections (read models)', (f) => /read-models|sqlite-all-subscription|typeorm|inline-projections/.test(f.url)],
  ['append (event store write, group commit)', (f) => /sqlite-(group-commit|append-validation|batch-transaction|writer)/.test(f.url) || f.functionName === 'appendToStream'],
  ['inference (onnxruntime)', (f) => /onnxruntime|model-runtime/.test(f.url)],
  ['features, decide, explanation (libs/domain)', (f) => /libs\/domain/.test(f.url)],
  ['HTTP, Fastify, NestJS', (f) => /fastify|@nestjs|find-my-way|secure-json-parse|middie|node:_http_/.test(f.url)],
];

const V8_BUCKETS: Readonly<Record<string, string>> = {
  '(garbage collector)': 'garbage collection',
  '(idle)': 'idle',
  '(program)': 'V8/native (program)',
};

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
  const parents = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parents.set(c, n.id);
  const activityOf = (leaf: number): string => {
    const bucket = V8_BUCKETS[frames.get(leaf)?.functionName ?? ''];
    if (bucket) return bucket;
    for (let id: number | undefined = leaf; id !== undefined; id = parents.get(id)) {
      const frame = frames.get(id);
      const hit = frame && ACTIVITIES.find(([, match]) => match(frame));
      if (hit) return hit[0];
    }
    return 'other (start-up, timers, runtime)';
  };
  const byActivity = new Map<string, number>();
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
    const a = activityOf(id);
    byActivity.set(a, (byActivity.get(a) ?? 0) + dt);
  });
  if (total === 0) throw new RangeError(`${file} holds no samples`);
  return {
    file,
    sampledSeconds: total / 1e6,
    byComponent: top(byComponent, total, topN),
    topFunctions: top(byFunction, total, topN),
    byActivity: top(byActivity, total, ACTIVITIES.length + 4),
  };
}

export interface ThreadProfile {
  /** Node's thread id: 0 is the main thread, others are worker threads (e.g. the SQLite writer). */
  readonly threadId: number;
  readonly file: string;
}

/**
 * The profiles `node --cpu-prof` wrote for one process, one per thread, main thread first. Node names them
 * CPU.<date>.<time>.<pid>.<threadId>.<seq>.cpuprofile.
 */
export function cpuProfilesOf(dir: string, pid: number): ThreadProfile[] {
  const out: ThreadProfile[] = [];
  for (const name of readdirSync(dir)) {
    const m = /^CPU\.\d+\.\d+\.(\d+)\.(\d+)\.\d+\.cpuprofile$/.exec(name);
    if (m && Number(m[1]) === pid) out.push({ threadId: Number(m[2]), file: path.join(dir, name) });
  }
  return out.sort((a, b) => a.threadId - b.threadId);
}

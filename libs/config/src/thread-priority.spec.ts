import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { niceOf } from './testing/thread-nice';
import { lowerThreadPriority, lowerV8PoolPriority } from './thread-priority';
import { TS_REGISTER_VARIABLE, workerScript } from './worker-script';

/** Runs lowerThreadPriority(nice) in a fresh thread; its result and the thread's nice value before and after. */
function inThread(nice: number): Promise<{ refused: string | null; before: number; after: number }> {
  const script = workerScript(path.join(__dirname, 'testing', 'priority-probe.worker.ts'));
  const worker = new Worker(script.file, { workerData: nice, execArgv: script.execArgv });
  return new Promise((resolve, reject) => {
    worker.once('message', (m) => void worker.terminate().then(() => resolve(m)));
    worker.once('error', reject);
  });
}

const onLinux = process.platform === 'linux';
if (!onLinux) console.warn(`thread-priority.spec: skipped on ${process.platform}: thread priorities are read from Linux's /proc`);
(onLinux ? describe : describe.skip)('lowerThreadPriority (Linux: a nice value per thread)', () => {
  it('lowers the calling thread only, by the given steps', async () => {
    const mine = niceOf();
    const result = await inThread(10);
    expect(result.refused).toBeNull();
    expect(result.after).toBe(Math.min(19, result.before + 10));
    expect(niceOf()).toBe(mine);
  });

  it('caps at the lowest priority, 19', async () => {
    const result = await inThread(30);
    expect(result.refused).toBeNull();
    expect(result.after).toBe(19);
  });

  it('leaves the thread as it is for 0', async () => {
    const result = await inThread(0);
    expect(result.refused).toBeNull();
    expect(result.after).toBe(result.before);
  });
});

interface Thread {
  readonly tid: string;
  readonly name: string;
  readonly nice: number;
}

/** Runs lowerV8PoolPriority(nice) in a fresh Node process (a lowered priority cannot be raised back unprivileged). */
function inProcess(nice: number): { result: ReturnType<typeof lowerV8PoolPriority>; before: Thread[]; after: Thread[]; main: string } {
  const hook = process.env[TS_REGISTER_VARIABLE] as string;
  const probe = path.join(__dirname, 'testing', 'v8-pool-probe.ts');
  const run = spawnSync(process.execPath, ['-r', hook, probe, String(nice)], { encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(`the probe failed (${run.error?.message ?? `exit ${run.status}`}): ${run.stderr}`);
  return JSON.parse(run.stdout);
}

/** Node names V8's pool threads from 24 on; Node 22 leaves them unnamed, like its other threads. */
const namesV8Pool = Number(process.versions.node.split('.')[0]) >= 24;

(onLinux ? describe : describe.skip)('lowerV8PoolPriority (Linux)', () => {
  (namesV8Pool ? it.skip : it)('finds no pool thread on Node 22, which leaves them unnamed, and says so', () => {
    const { result, before, after } = inProcess(10);
    expect(result).toEqual({ lowered: 0, refused: 'no thread named V8Worker in this process' });
    expect(after.map((t) => t.nice)).toEqual(before.map((t) => t.nice));
  });

  (namesV8Pool ? it : it.skip)("lowers V8's pool threads by the given steps, and no other thread of the process", () => {
    const { result, before, after, main } = inProcess(10);
    const pool = before.filter((t) => t.name === 'V8Worker');
    expect(pool.length).toBeGreaterThan(0);
    expect(result).toEqual({ lowered: pool.length });
    for (const t of before) {
      const now = after.find((a) => a.tid === t.tid) as Thread;
      expect(now.nice).toBe(t.name === 'V8Worker' ? Math.min(19, t.nice + 10) : t.nice);
    }
    expect(after.find((t) => t.tid === main)?.nice).toBe(before.find((t) => t.tid === main)?.nice);
  });

  it('leaves every thread as it is for 0', () => {
    const { result, before, after } = inProcess(0);
    expect(result).toEqual({ lowered: 0 });
    expect(after.map((t) => t.nice)).toEqual(before.map((t) => t.nice));
  });
});

describe('lowerThreadPriority elsewhere', () => {
  it('does nothing where a priority belongs to the whole process, and says why', () => {
    expect(lowerThreadPriority(10, 'darwin')).toMatch(/cannot be set apart from its process's on darwin/);
    expect(lowerThreadPriority(0, 'darwin')).toBeUndefined();
    expect(lowerV8PoolPriority(10, 'darwin')).toEqual({ lowered: 0, refused: "a thread's priority cannot be set apart from its process's on darwin" });
  });
});

import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { niceOf } from './testing/thread-nice';
import { lowerThreadPriority } from './thread-priority';
import { workerScript } from './worker-script';

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

describe('lowerThreadPriority elsewhere', () => {
  it('does nothing where a priority belongs to the whole process, and says why', () => {
    expect(lowerThreadPriority(10, 'darwin')).toMatch(/cannot be set apart from its process's on darwin/);
    expect(lowerThreadPriority(0, 'darwin')).toBeUndefined();
  });
});

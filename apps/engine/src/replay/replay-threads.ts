import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { workerScript, type WorkerScript } from '@verdict/config';
import { mergeReplayReports, type ReplayReport } from '@verdict/domain';
import type { FromReplayWorker, ReplayWorkerData } from './replay-worker.protocol';

/** The replay worker next to this file: `.js` from dist/, `.ts` from source (see workerScript). */
const replayWorkerScript = (): WorkerScript => workerScript(join(__dirname, `replay.worker${extname(__filename)}`));

export interface ThreadedReplay {
  readonly report: Promise<ReplayReport>;
  /** Asks every thread to stop at its next page; `report` then rejects. */
  stop(): void;
}

/**
 * Splits the positions (startAfter, endAt] into `threads` consecutive ranges, replays each on its own thread, and
 * merges the reports in log order: the report one pass would give (mergeReplayReports).
 */
export function replayOnThreads(
  base: Omit<ReplayWorkerData, 'startAfter' | 'endAt'>,
  range: { readonly startAfter: bigint | undefined; readonly endAt: bigint },
  threads: number,
  onProgress: (done: number) => void,
): ThreadedReplay {
  const from = range.startAfter ?? -1n;
  const span = range.endAt - from;
  const n = span <= 0n ? 1 : Math.max(1, Math.min(threads, Number(span)));
  const bounds = Array.from({ length: n + 1 }, (_, i) => (i === n ? range.endAt : from + (span * BigInt(i)) / BigInt(n)));
  const done = new Array<number>(n).fill(0);
  const script = replayWorkerScript();
  const workers: Worker[] = [];
  const parts = bounds.slice(1).map((endAt, i) => {
    const data: ReplayWorkerData = { ...base, startAfter: bounds[i] < 0n ? undefined : bounds[i], endAt };
    const worker = new Worker(script.file, { name: 'replay', workerData: data, execArgv: script.execArgv });
    workers.push(worker);
    return new Promise<ReplayReport>((resolve, reject) => {
      let settled = false;
      worker.on('message', (m: FromReplayWorker) => {
        if (m.type === 'progress') {
          done[i] = m.done;
          onProgress(done.reduce((a, b) => a + b, 0));
        } else {
          settled = true;
          // The thread has closed its stores; end it (a native handle may otherwise keep it alive).
          void worker.terminate();
          if (m.type === 'done') resolve(m.report);
          else reject(new Error(m.message));
        }
      });
      worker.on('error', (e) => {
        settled = true;
        reject(e);
      });
      worker.on('exit', (code) => {
        if (!settled) reject(new Error(`the replay thread exited with code ${code} before reporting`));
      });
    });
  });
  // One failing thread stops the others; the report settles only once every thread has finished.
  for (const part of parts) part.catch(() => workers.forEach((w) => w.postMessage({ type: 'stop' })));
  const report = Promise.allSettled(parts).then((settled) => {
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    return mergeReplayReports(base.selection, settled.map((s) => (s as PromiseFulfilledResult<ReplayReport>).value));
  });
  return { report, stop: () => workers.forEach((w) => w.postMessage({ type: 'stop' })) };
}

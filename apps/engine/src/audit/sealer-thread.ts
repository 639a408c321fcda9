import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { workerScript } from '@verdict/config';
import type { FromSealerWorker, SealerWorkerData, ToSealerWorker } from './sealer-thread.protocol';

/**
 * Runs the sealer (sealer.worker.ts) on its own thread. start() resolves once it has resumed from the last seal, and
 * rejects if it cannot (the engine then does not start); stop() waits for the seal in progress and its store to close.
 * Its logs come through the main thread's logger.
 */
export class SealerThread {
  private worker: Worker | null = null;
  private stopped: Promise<void> | null = null;

  constructor(
    private readonly data: SealerWorkerData,
    private readonly log: Logger,
  ) {}

  start(): Promise<void> {
    const script = workerScript(join(__dirname, `sealer.worker${extname(__filename)}`));
    const worker = new Worker(script.file, { workerData: this.data, execArgv: script.execArgv });
    this.worker = worker;
    return new Promise<void>((resolve, reject) => {
      let stop: () => void = () => undefined;
      this.stopped = new Promise<void>((r) => (stop = r));
      worker.on('message', (m: FromSealerWorker) => {
        if (m.type === 'log') this.log[m.level](m.obj, m.msg);
        else if (m.type === 'started') resolve();
        else if (m.type === 'failed') {
          this.log.error({ err: m.message }, 'audit sealer thread failed');
          reject(new Error(`audit sealer: ${m.message}`));
          stop();
        } else if (m.type === 'stopped') stop();
      });
      worker.on('error', (e) => {
        this.log.error({ err: e }, 'audit sealer thread crashed');
        reject(e);
        stop();
      });
      worker.on('exit', () => {
        reject(new Error('audit sealer thread exited before it started'));
        stop();
      });
    });
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    if (worker === null) return;
    this.worker = null;
    worker.postMessage({ type: 'stop' } satisfies ToSealerWorker);
    await this.stopped;
    await worker.terminate();
  }
}

import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { Supervisor, workerScript, type SupervisedStatus } from '@verdict/config';
import { logSupervision, type SupervisedSource } from '../health/supervised-source';
import type { FromSealerWorker, SealerWorkerData, ToSealerWorker } from './sealer-thread.protocol';

/** Component name of the sealer thread in liveness and metrics. */
export const SEALER_COMPONENT = 'audit-sealer';

/**
 * How long a clean stop gives the last seal: the events of up to one interval, at tens of thousands hashed a second.
 * Well inside the stop's bound (SHUTDOWN_BOUND_MS leaves 15 s to flush); what it leaves, the next start seals.
 */
export const FINAL_SEAL_MS = 5_000;

/** One life of the sealer thread. */
interface SealerLife {
  readonly worker: Worker;
  /** Settles once the thread has stopped, failed or exited. */
  readonly ended: Promise<void>;
  stopping: boolean;
}

/**
 * Runs the sealer (sealer.worker.ts) on its own thread. start() resolves once it has resumed from the last seal, and
 * rejects if it cannot (the engine then does not start); stop() waits for the seal in progress, seals what is pending
 * (for at most FINAL_SEAL_MS), and waits for its store to close.
 * Its logs come through the main thread's logger. The sealer's own loop retries store failures forever, so the thread
 * ends only by crashing: it is then started again under supervision and resumes from the last seal in the stream.
 */
export class SealerThread implements SupervisedSource {
  private supervisor: Supervisor<SealerLife> | null = null;

  constructor(
    private readonly data: SealerWorkerData,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    const supervisor: Supervisor<SealerLife> = new Supervisor(SEALER_COMPONENT, {
      launch: () => this.launch((life, error) => supervisor.crashed(life, error)),
      close: (life) => this.end(life, FINAL_SEAL_MS),
      retire: (life) => this.end(life),
      report: (event, status, error) => logSupervision(this.log, event, status, error),
    });
    this.supervisor = supervisor;
    await supervisor.start();
  }

  async stop(): Promise<void> {
    const supervisor = this.supervisor;
    this.supervisor = null;
    await supervisor?.stop();
  }

  supervised(): readonly SupervisedStatus[] {
    return this.supervisor ? [this.supervisor.status()] : [];
  }

  /** Fault-injection seam for tests: ends the running sealer thread as a crash would; it is then restarted. */
  async terminateThread(): Promise<void> {
    await this.supervisor?.current?.worker.terminate();
  }

  private launch(onDeath: (life: SealerLife, error: Error) => void): Promise<SealerLife> {
    const script = workerScript(join(__dirname, `sealer.worker${extname(__filename)}`));
    const worker = new Worker(script.file, { name: 'sealer', workerData: this.data, execArgv: script.execArgv });
    return new Promise<SealerLife>((resolve, reject) => {
      let started = false;
      let end: () => void = () => undefined;
      const life: SealerLife = { worker, ended: new Promise<void>((r) => (end = r)), stopping: false };
      const died = (error: Error): void => {
        end();
        if (!started) reject(error);
        else if (!life.stopping) onDeath(life, error);
      };
      worker.on('message', (m: FromSealerWorker) => {
        if (m.type === 'log') this.log[m.level](m.obj, m.msg);
        else if (m.type === 'started') {
          started = true;
          resolve(life);
        } else if (m.type === 'failed') {
          this.log.error({ err: m.message }, 'audit sealer thread failed');
          died(new Error(`audit sealer: ${m.message}`));
        } else if (m.type === 'stopped') end();
      });
      worker.on('error', (e) => {
        this.log.error({ err: e }, 'audit sealer thread crashed');
        died(e);
      });
      worker.on('exit', (code) => died(new Error(`audit sealer thread exited (code ${code})`)));
    });
  }

  /** Asks the thread to stop (the seal in progress finishes, then the last one if asked for, its store closes), then ends it. */
  private async end(life: SealerLife, finalSealMs?: number): Promise<void> {
    life.stopping = true;
    life.worker.postMessage({ type: 'stop', ...(finalSealMs === undefined ? {} : { finalSealMs }) } satisfies ToSealerWorker);
    await life.ended;
    await life.worker.terminate();
  }
}

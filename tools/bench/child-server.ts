import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

export interface ChildServerOptions {
  /** For messages only. */
  readonly name: string;
  /** Script and its arguments, run with the current node binary. */
  readonly script: string;
  readonly nodeArgs?: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** stdout and stderr go to this file: a pipe back to the bench would let our own event loop throttle the server. */
  readonly logFile: string;
  readonly readyUrl: string;
  readonly readyTimeoutMs?: number;
}

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export class ChildServerError extends Error {
  constructor(
    readonly code: 'CHILD_EXITED' | 'CHILD_NOT_READY',
    message: string,
  ) {
    super(message);
    this.name = 'ChildServerError';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** A server under test, running as its own node process. */
export class ChildServer {
  private exitInfo: ChildExit | null = null;
  private readonly exited: Promise<ChildExit>;

  private constructor(
    private readonly options: ChildServerOptions,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** How the process ended, if it has (a server that dies under load invalidates the run). */
  get exit(): ChildExit | null {
    return this.exitInfo;
  }

  static async start(options: ChildServerOptions): Promise<ChildServer> {
    const log = openSync(options.logFile, 'w');
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.script], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    const server = new ChildServer(options, child);
    await server.waitReady(options.readyTimeoutMs ?? 60_000);
    return server;
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer yet';
    while (Date.now() < deadline) {
      if (this.exitInfo) {
        throw new ChildServerError(
          'CHILD_EXITED',
          `${this.options.name} exited before it was ready (code ${this.exitInfo.code}, signal ${this.exitInfo.signal}); log tail:\n${tail(this.options.logFile)}`,
        );
      }
      try {
        const res = await fetch(this.options.readyUrl, { signal: AbortSignal.timeout(2_000) });
        if (res.status === 200) return;
        last = `HTTP ${res.status}`;
      } catch (err) {
        last = (err as Error).message;
      }
      await sleep(100);
    }
    await this.stop();
    throw new ChildServerError(
      'CHILD_NOT_READY',
      `${this.options.name} was not ready within ${timeoutMs} ms (${this.options.readyUrl}: ${last}); log tail:\n${tail(this.options.logFile)}`,
    );
  }

  /**
   * SIGTERM, so the server closes its stores cleanly (and `--cpu-prof` writes its profile); SIGKILL after a grace
   * period longer than the engine's own bound on its stop (SHUTDOWN_BOUND_MS, 20 s), which exits 1 and says why.
   */
  async stop(graceMs = 25_000): Promise<ChildExit & { graceful: boolean }> {
    if (this.exitInfo) return { ...this.exitInfo, graceful: true };
    this.child.kill('SIGTERM');
    // Unref'd: a server that exits in time must not leave this timer holding the process open for the grace period.
    const timer = new Promise<null>((resolve) => setTimeout(() => resolve(null), graceMs).unref());
    const exit = await Promise.race([this.exited, timer]);
    if (exit) return { ...exit, graceful: true };
    this.child.kill('SIGKILL');
    return { ...(await this.exited), graceful: false };
  }
}

import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { adminAuthHeaders } from '../ops/admin-key';

/** What a crash cycle needs of an engine process. */
export interface CrashableEngine {
  readonly url: string;
  authHeaders(): Record<string, string>;
  /** SIGKILL: no shutdown hook runs, nothing is flushed. */
  kill9(): Promise<void>;
  /** SIGTERM, then how it ended. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Its last 40 lines of output (stdout and stderr); complete once stop() or kill9() has resolved. */
  output(): readonly string[];
}

export interface LaunchOptions {
  /** The compiled engine, dist/apps/engine/src/main.js (or its source, with `nodeArgs` that load TypeScript). */
  readonly main: string;
  readonly dataDir: string;
  readonly env?: Record<string, string>;
  readonly startTimeoutMs?: number;
  /** Node options before the script (e.g. `-r` a TypeScript hook). */
  readonly nodeArgs?: readonly string[];
  /** Working directory (default: the repository root above dist/). */
  readonly cwd?: string;
}

/** Starts the built engine on `dataDir` (any free port) and resolves once it logs that it listens. */
export function launchEngine(options: LaunchOptions): Promise<CrashableEngine> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.main], {
    cwd: options.cwd ?? path.resolve(path.dirname(options.main), '..', '..', '..', '..'),
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...options.env, VERDICT_DATA_DIR: options.dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // 'close', not 'exit': by then its output has been read to the end.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  // The last lines of output, for the error when it does not start; the pipes are always read so it never blocks.
  const tail: string[] = [];
  const keep = (line: string) => tail.push(line) > 40 && tail.shift();
  createInterface({ input: child.stderr! }).on('line', keep);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`engine did not start within ${options.startTimeoutMs ?? 120_000} ms\n${tail.join('\n')}`));
    }, options.startTimeoutMs ?? 120_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`engine exited (${code ?? signal}) before listening\n${tail.join('\n')}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      keep(line);
      let entry: { msg?: string; url?: string };
      try {
        entry = JSON.parse(line);
      } catch {
        return;
      }
      if (entry.msg !== 'Verdict engine listening' || !entry.url) return;
      clearTimeout(timer);
      resolve({
        url: entry.url.replace('[::1]', '127.0.0.1'),
        authHeaders: () => adminAuthHeaders(options.dataDir),
        kill9: async () => {
          child.kill('SIGKILL');
          await exited;
        },
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          return exited;
        },
        output: () => [...tail],
      });
    });
  });
}

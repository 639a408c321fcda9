import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { adminAuthHeaders } from '../../tools/ops/admin-key';

const ROOT = path.resolve(__dirname, '..', '..');

export interface EngineProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** `Authorization` for its data directory's admin key, once the engine has written one (else none). */
  authHeaders(): Record<string, string>;
  /** SIGKILL: no shutdown hooks, no flush — what a power cut or OOM kill looks like to the process. */
  kill9(): Promise<void>;
  /** SIGTERM (unless it has exited), then how it ended. */
  stop(): Promise<EngineExit>;
}

export interface EngineExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * Runs apps/engine/src/main.ts in its own process (TypeScript loaded by test/support/ts-register.js), or, with
 * `builtMain`, a compiled main.js as `npm start` runs it.
 */
export function startEngineProcess(env: Record<string, string>, builtMain?: string): Promise<EngineProcess> {
  const args = builtMain ? [builtMain] : ['-r', path.join(ROOT, 'test/support/ts-register.js'), path.join(ROOT, 'apps/engine/src/main.ts')];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<EngineExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const dataDir = path.resolve(ROOT, env.VERDICT_DATA_DIR ?? process.env.VERDICT_DATA_DIR ?? 'data');
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`engine did not start within 60 s\n${stderr}`)), 60_000);
    child.once('exit', (code) => reject(new Error(`engine exited with ${code} before listening\n${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry: { msg?: string; url?: string };
      try {
        entry = JSON.parse(line);
      } catch {
        return;
      }
      if (entry.msg === 'Verdict engine listening' && entry.url) {
        clearTimeout(timer);
        const url = entry.url.replace('[::1]', '127.0.0.1');
        resolve({
          url,
          child,
          authHeaders: () => adminAuthHeaders(dataDir),
          kill9: async () => {
            child.kill('SIGKILL');
            await exited;
          },
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
  });
}

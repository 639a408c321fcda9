import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = path.resolve(__dirname, '..', '..');

export interface EngineProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** SIGKILL: no shutdown hooks, no flush — what a power cut or OOM kill looks like to the process. */
  kill9(): Promise<void>;
  stop(): Promise<void>;
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
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
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
          kill9: async () => {
            child.kill('SIGKILL');
            await exited;
          },
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            await exited;
          },
        });
      }
    });
  });
}

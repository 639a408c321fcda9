import path from 'node:path';
import { launchEngine, type CrashableEngine } from '../../tools/crash-test/engine-launcher';
import { HISTORY_WAIT } from './history-wait';

const ROOT = path.resolve(__dirname, '..', '..');

export type EngineProcess = CrashableEngine;
export type EngineExit = Awaited<ReturnType<CrashableEngine['stop']>>;

/**
 * Runs apps/engine/src/main.ts in its own process (TypeScript loaded by test/support/ts-register.js), or, with
 * `builtMain`, a compiled main.js as `npm start` runs it; through the crash test's launcher (one way to start an
 * engine process and know it listens).
 */
export function startEngineProcess(env: Record<string, string>, builtMain?: string): Promise<EngineProcess> {
  const dataDir = path.resolve(ROOT, env.VERDICT_DATA_DIR ?? process.env.VERDICT_DATA_DIR ?? 'data');
  return launchEngine({
    main: builtMain ?? path.join(ROOT, 'apps/engine/src/main.ts'),
    nodeArgs: builtMain ? [] : ['-r', path.join(ROOT, 'test/support/ts-register.js')],
    cwd: ROOT,
    dataDir,
    env: { ...HISTORY_WAIT, ...env },
    startTimeoutMs: 60_000,
  });
}

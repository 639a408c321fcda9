import { extname } from 'node:path';

/** How to start a worker thread: its file, and the Node options the thread needs to load it. */
export interface WorkerScript {
  readonly file: string;
  readonly execArgv?: string[];
}

/** Path of a require hook that compiles TypeScript, for worker threads started from .ts source. */
export const TS_REGISTER_VARIABLE = 'VERDICT_TS_REGISTER';

/**
 * A compiled `.js` worker needs nothing. A `.ts` worker (running from source: Jest, or a child process started with
 * the repository's TypeScript require hook, which sets VERDICT_TS_REGISTER when it loads) needs that hook in its
 * thread too, and its path comes only from the environment: production code never knows where test tooling lives.
 * @throws Error for a `.ts` worker when VERDICT_TS_REGISTER is unset.
 */
export function workerScript(file: string, env: NodeJS.ProcessEnv = process.env): WorkerScript {
  if (extname(file) !== '.ts') return { file };
  const hook = env[TS_REGISTER_VARIABLE];
  if (hook === undefined || hook === '') {
    throw new Error(
      `Cannot start the worker thread ${file} from TypeScript source: ${TS_REGISTER_VARIABLE} names no require hook. ` +
        `Run the compiled JavaScript (npm run build), or set ${TS_REGISTER_VARIABLE} to a hook that compiles TypeScript.`,
    );
  }
  return { file, execArgv: ['-r', hook] };
}

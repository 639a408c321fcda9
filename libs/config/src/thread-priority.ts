import { readdirSync, readFileSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** How much lower than the request path background threads run by default (VERDICT_BACKGROUND_NICE). */
export const DEFAULT_BACKGROUND_NICE = 10;
/** The lowest priority a nice value can name. */
const LOWEST = 19;

/** Why no thread's priority was changed where a nice value belongs to the whole process. */
const notPerThread = (platform: NodeJS.Platform): string => `a thread's priority cannot be set apart from its process's on ${platform}`;

/**
 * Lowers the calling thread's CPU priority by `nice` steps (capped at 19), for work that may lag behind the decisions
 * it follows: projections, seals, exports, replays, audit verification. When every core is busy the scheduler then serves the request path
 * first (the main thread, the log writers, the history thread), and background work still gets every idle cycle.
 * Linux only: there a nice value belongs to one thread, where elsewhere setpriority() would lower the whole process.
 * A thread starts at its parent's priority: call this after the thread has started the threads that must keep the
 * request path's (an SQLite store's writer, which takes the log's write lock). For the same reason the process's libuv
 * pool must have been started by the main thread first, as the engine does while it opens its stores.
 * @returns why the priority stayed as it was, or undefined when it was lowered (or `nice` is 0).
 */
export function lowerThreadPriority(nice: number, platform: NodeJS.Platform = process.platform): string | undefined {
  if (nice === 0) return undefined;
  if (platform !== 'linux') return notPerThread(platform);
  try {
    setPriority(0, Math.min(LOWEST, getPriority(0) + nice));
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** The name Node gives the threads of V8's platform pool (its --v8-pool-size threads). */
const V8_POOL_THREAD = 'V8Worker';

/** What lowerV8PoolPriority did: threads lowered, and why any were left as they were. */
export interface V8PoolPriority {
  readonly lowered: number;
  readonly refused?: string;
}

/**
 * Lowers V8's platform threads by `nice` steps, as the background threads are: they run optimizing compiles and the
 * concurrent parts of garbage collection for every isolate of the process, in bursts that took a core the request
 * path needed (docs/benchmarks.md). Lowered, they get every idle cycle and yield when the request path needs the
 * core; the work is only delayed. Call it from the main thread: the pool's threads exist from the process's start.
 * Linux only, as lowerThreadPriority, and Node 24 or later: Node 22 leaves these threads unnamed, so they cannot be
 * told from the others and keep the process's priority.
 */
export function lowerV8PoolPriority(nice: number, platform: NodeJS.Platform = process.platform): V8PoolPriority {
  if (nice === 0) return { lowered: 0 };
  if (platform !== 'linux') return { lowered: 0, refused: notPerThread(platform) };
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch (error) {
    return { lowered: 0, refused: (error as Error).message };
  }
  let lowered = 0;
  let found = 0;
  let refused: string | undefined;
  for (const tid of tids) {
    try {
      if (readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim() !== V8_POOL_THREAD) continue;
      found++;
      setPriority(Number(tid), Math.min(LOWEST, getPriority(Number(tid)) + nice));
      lowered++;
    } catch (error) {
      // A thread that ended meanwhile needs nothing; any other failure is said, and the other threads still tried.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ESRCH') refused ??= (error as Error).message;
    }
  }
  if (found === 0) refused ??= `no thread named ${V8_POOL_THREAD} in this process`;
  return refused === undefined ? { lowered } : { lowered, refused };
}

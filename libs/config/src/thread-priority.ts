import { readdirSync, readFileSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** How much lower than the request path background threads run by default (VERDICT_BACKGROUND_NICE). */
export const DEFAULT_BACKGROUND_NICE = 10;
/** The lowest priority a nice value can name. */
const LOWEST = 19;

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
  if (platform !== 'linux') return `a thread's priority cannot be set apart from its process's on ${platform}`;
  try {
    setPriority(0, Math.min(LOWEST, getPriority(0) + nice));
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** The name Node gives the threads of V8's platform pool (its --v8-pool-size threads). */
const V8_POOL_THREAD = 'V8Worker';

/**
 * Lowers V8's platform threads by `nice` steps, as the background threads are: they run optimizing compiles and the
 * concurrent parts of garbage collection for every isolate of the process. These come in bursts: about 10,500
 * requests after a start, TurboFan compiles of the request path took up to 0.9 of a core for a few hundred ms, and on
 * two busy cores the request path waited for them (docs/benchmarks.md). Lowered, they get every idle cycle and yield
 * when the request path needs the core; the work is never skipped, only later. Call it from the main thread; the
 * pool's threads exist from the process's start. Linux only, as lowerThreadPriority, and Node 24 or later: Node 22
 * leaves these threads unnamed, so they cannot be told from the others and keep the process's priority.
 * @returns how many threads were lowered, or why none was.
 */
export function lowerV8PoolPriority(nice: number, platform: NodeJS.Platform = process.platform): { lowered: number } | { refused: string } {
  if (nice === 0) return { lowered: 0 };
  if (platform !== 'linux') return { refused: `a thread's priority cannot be set apart from its process's on ${platform}` };
  try {
    let lowered = 0;
    for (const tid of readdirSync('/proc/self/task')) {
      if (readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim() !== V8_POOL_THREAD) continue;
      setPriority(Number(tid), Math.min(LOWEST, getPriority(Number(tid)) + nice));
      lowered++;
    }
    return lowered > 0 ? { lowered } : { refused: `no thread named ${V8_POOL_THREAD} in this process` };
  } catch (error) {
    return { refused: (error as Error).message };
  }
}

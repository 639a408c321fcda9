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

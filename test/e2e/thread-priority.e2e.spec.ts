import { readdirSync, readFileSync } from 'node:fs';
import { niceOf } from '@verdict/config/testing/thread-nice';
import { startEngine, type RunningEngine } from '../support/engine-harness';

interface ThreadInfo {
  readonly tid: string;
  readonly name: string;
  readonly nice: number;
}

/** Each thread of this process, with its name and nice value (Linux /proc: comm, and field 19 of stat). */
function threads(): ThreadInfo[] {
  return readdirSync('/proc/self/task').flatMap((tid) => {
    try {
      return [{ tid, name: readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim(), nice: niceOf(tid) }];
    } catch {
      return []; // the thread ended while we listed them
    }
  });
}

/** Starts an engine and returns it with the threads that appeared meanwhile (other specs' threads may be alive too). */
async function startWatched(env: Record<string, string> = {}): Promise<{ engine: RunningEngine; fresh: ThreadInfo[] }> {
  const before = new Set(threads().map((t) => t.tid));
  const engine = await startEngine(env);
  return { engine, fresh: threads().filter((t) => !before.has(t.tid)) };
}

/**
 * Background threads (projections, the sealer) run VERDICT_BACKGROUND_NICE steps below the request path, so that on
 * busy cores the main thread, the log writers and the history thread are served first. Linux only: elsewhere a
 * priority belongs to the whole process and the engine leaves it alone.
 */
const onLinux = process.platform === 'linux';
if (!onLinux) console.warn(`thread-priority.e2e: skipped on ${process.platform}: thread priorities are read from Linux's /proc`);
(onLinux ? describe : describe.skip)('background threads yield to the request path (SQLite, Linux)', () => {
  let engine: RunningEngine | undefined;
  afterEach(async () => {
    await engine?.stop();
    engine = undefined;
  });

  it('runs projections and the sealer 10 steps lower by default, and every other thread it started as it was', async () => {
    const { engine: started, fresh } = await startWatched();
    engine = started;
    const base = niceOf();
    // Exactly two threads yield: the projection thread and the sealer. The log writers (the sealer's own included:
    // started before its thread lowered itself, so it never holds the log's write lock at a low priority), the
    // history thread, the key store and the libuv pool (process-wide: it takes the priority of the thread that first
    // uses it) keep the request path's priority.
    const lowered = fresh.filter((t) => t.nice !== base);
    expect(lowered.map((t) => t.nice)).toEqual([Math.min(19, base + 10), Math.min(19, base + 10)]);
    // The engine's worker threads, at least: 2 log writers, sealer, history, projections, key store.
    expect(fresh.length).toBeGreaterThanOrEqual(6);
    // Node 24 names threads after their Worker's `name` (Node 22 does not): then they must be those two.
    if (fresh.some((t) => t.name === 'log-writer')) {
      expect(lowered.map((t) => t.name).sort()).toEqual(['projections', 'sealer']);
      // The engine's and the sealer's: the history and projection threads open the log read-only (no writer).
      expect(fresh.filter((t) => t.name === 'log-writer').length).toBe(2);
    }
  });

  it('leaves every thread at the same priority with VERDICT_BACKGROUND_NICE=0', async () => {
    const { engine: started, fresh } = await startWatched({ VERDICT_BACKGROUND_NICE: '0' });
    engine = started;
    const base = niceOf();
    expect(fresh.length).toBeGreaterThanOrEqual(6); // the engine's worker threads, at least
    expect(fresh.filter((t) => t.nice !== base)).toEqual([]);
  });
});

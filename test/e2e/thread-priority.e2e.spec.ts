import { readdirSync, readFileSync } from 'node:fs';
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
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      return [{ tid, name: readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim(), nice: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]) }];
    } catch {
      return []; // the thread ended while we listed them
    }
  });
}
const mainNice = () => Number(readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1]!.split(' ')[16]);

/** Starts an engine and returns it with the threads that appeared meanwhile (other specs' threads may be alive too). */
async function startWatched(env: Record<string, string> = {}): Promise<{ engine: RunningEngine; started: (name: string) => number[] }> {
  const before = new Set(threads().map((t) => t.tid));
  const engine = await startEngine(env);
  const fresh = threads().filter((t) => !before.has(t.tid));
  return { engine, started: (name) => fresh.filter((t) => t.name === name).map((t) => t.nice) };
}

/**
 * Background threads (projections, the sealer) run VERDICT_BACKGROUND_NICE steps below the request path, so that on
 * busy cores the main thread, the log writer and the history thread are served first. Linux only: elsewhere a
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

  it('runs projections and the sealer 10 steps lower by default, and every thread that serves a decision as it was', async () => {
    const watched = await startWatched();
    engine = watched.engine;
    const base = mainNice();
    expect(watched.started('projections')).toEqual([Math.min(19, base + 10)]);
    expect(watched.started('sealer')).toEqual([Math.min(19, base + 10)]);
    for (const name of ['history', 'key-store']) expect(watched.started(name)).toEqual([base]);
    // Every log writer, the background threads' own included: they were started before their thread lowered itself,
    // so none holds the log's write lock at a low priority while the request path's writer waits for it.
    expect(watched.started('log-writer').length).toBeGreaterThanOrEqual(3);
    expect(watched.started('log-writer').every((nice) => nice === base)).toBe(true);
    // The libuv pool serves the whole process and takes the priority of the thread that first uses it.
    expect(watched.started('libuv-worker').every((nice) => nice === base)).toBe(true);
  });

  it('leaves every thread at the same priority with VERDICT_BACKGROUND_NICE=0', async () => {
    const watched = await startWatched({ VERDICT_BACKGROUND_NICE: '0' });
    engine = watched.engine;
    const base = mainNice();
    expect(watched.started('projections')).toEqual([base]);
    expect(watched.started('sealer')).toEqual([base]);
  });
});

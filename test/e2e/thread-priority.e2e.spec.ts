import { readdirSync, readFileSync } from 'node:fs';
import { startEngine, type RunningEngine } from '../support/engine-harness';

/** Each thread of this process by name, with its nice value (Linux /proc: comm, and field 19 of stat). */
function threads(): { name: string; nice: number }[] {
  return readdirSync('/proc/self/task').flatMap((tid) => {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      return [{ name: readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim(), nice: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]) }];
    } catch {
      return []; // the thread ended while we listed them
    }
  });
}
const niceOf = (name: string) => threads().filter((t) => t.name === name).map((t) => t.nice);
const mainNice = () => Number(readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1]!.split(' ')[16]);

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

  it('runs projections and the sealer 10 steps lower by default, the request path as it was', async () => {
    engine = await startEngine();
    const base = mainNice();
    expect(niceOf('projections')).toEqual([Math.min(19, base + 10)]);
    expect(niceOf('sealer')).toEqual([Math.min(19, base + 10)]);
    for (const name of ['history', 'key-store']) expect(niceOf(name)).toEqual([base]);
    // The engine's log writer stays on the request path. The background threads' stores start writers of their own,
    // which start at their parent's priority, so only some writers are at the base priority.
    expect(niceOf('log-writer').filter((nice) => nice === base).length).toBeGreaterThan(0);
  });

  it('leaves every thread at the same priority with VERDICT_BACKGROUND_NICE=0', async () => {
    engine = await startEngine({ VERDICT_BACKGROUND_NICE: '0' });
    const base = mainNice();
    expect(niceOf('projections')).toEqual([base]);
    expect(niceOf('sealer')).toEqual([base]);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCrashCycles, type CycleReport } from '../../tools/crash-test/crash-cycles';
import { startEngineProcess } from '../support/engine-process';

/**
 * The embedded default under kill -9, as `npm run crash-test` runs it (there on the built engine, here on the
 * sources): an acknowledged decision is never lost, a retry returns the original, and the read model recovers with
 * every decision once.
 */
describe('crash cycles (kill -9 of the engine process under load, SQLite)', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'verdict-crash-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps every acknowledged decision through 3 kills and catches the read model up without duplicates', async () => {
    const cycles: CycleReport[] = [];
    const summary = await runCrashCycles({
      cycles: 3,
      concurrency: 32,
      maxAcksPerCycle: 400,
      seed: 7,
      start: () => startEngineProcess({ VERDICT_DATA_DIR: dataDir, VERDICT_WARMUP_DECISIONS: '0' }),
      onCycle: (c) => cycles.push(c),
    });
    expect(summary.problems).toEqual([]);
    expect(summary.lost).toBe(0);
    expect(cycles.map((c) => c.acknowledged).every((n) => n > 0)).toBe(true);
    expect(summary.readModelRows).toBe(summary.acknowledged);
  }, 300_000);
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { loadConfig } from '@verdict/config';
import { seedDecisionLog, type SeededLog } from '../../../../tools/bench/export/export-workload';
import { EXPORT_CHUNK_CHARS } from './export-chunks';
import { exportOnThread, READ_AHEAD } from './export-thread';

/**
 * The export's memory bound as behaviour, not as resident memory: the thread produces chunks only against the
 * consumer's demand, so a reader that stops holds the export at about READ_AHEAD chunks ahead of it, however long the
 * export is (test/e2e/export-memory.e2e.spec.ts measures the engine process's memory over HTTP).
 */
describe('an export on its own thread (SQLite)', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'verdict-export-thread-'));
  const dataDir = path.join(scratch, 'data');
  let seeded: SeededLog;

  beforeAll(async () => {
    seeded = await seedDecisionLog(dataDir, 3_000);
  }, 120_000);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  const exportAll = (): Readable => {
    const config = loadConfig({ VERDICT_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' });
    return exportOnThread(config, { segments: [{ after: 0n, through: BigInt(seeded.lastPosition) }], filter: {}, format: 'jsonl' }, null);
  };

  let open: Readable | undefined;
  // A failed assertion must not leave the thread running (Jest would not exit); and a thread still terminating would
  // still be counted by the next test's active resources.
  afterEach(async () => {
    if (!open || open.closed) return;
    const closed = once(open, 'close');
    open.destroy();
    await closed;
  });

  it('runs no further ahead of a reader that stops than its read-ahead, and gives every row once it reads on', async () => {
    const stream = (open = exportAll());
    let produced = 0;
    let longest = 0;
    const push = stream.push.bind(stream);
    stream.push = (chunk: unknown, encoding?: BufferEncoding) => {
      if (chunk !== null) {
        produced++;
        longest = Math.max(longest, (chunk as string).length);
      }
      return push(chunk, encoding);
    };
    const first = await new Promise<string>((resolve, reject) => {
      stream.once('readable', () => resolve(stream.read(1) as string));
      stream.once('error', reject);
    });
    expect(first).toBe('{');
    // The reader stops: wait until the thread has used the credit it was given (it runs at a lower priority, so on a
    // busy machine that may take a while), then long enough for it to run further ahead if it could.
    for (const deadline = Date.now() + 30_000; produced < READ_AHEAD && Date.now() < deadline; ) await sleep(50);
    await sleep(1_000);
    expect(produced).toBeGreaterThanOrEqual(READ_AHEAD);
    expect(produced).toBeLessThanOrEqual(READ_AHEAD + 2);
    // A chunk is about EXPORT_CHUNK_CHARS (it ends after the row that passes that).
    expect(longest).toBeGreaterThanOrEqual(EXPORT_CHUNK_CHARS);
    expect(stream.readableLength).toBeLessThanOrEqual((READ_AHEAD + 2) * longest);

    let text = first;
    for await (const chunk of stream) text += chunk as string;
    const rows = text.split('\n').filter((line) => line.length > 0);
    expect(rows).toHaveLength(seeded.decisions);
    // Far more than a stopped reader was held to: the bound above is the protocol's, not the export's size.
    expect(produced).toBeGreaterThan(3 * (READ_AHEAD + 2));
    expect(new Set(rows.map((r) => (JSON.parse(r) as { decisionId: string }).decisionId)).size).toBe(seeded.decisions);
  }, 60_000);

  it('does not keep the process alive with a thread nobody reads or stops', async () => {
    const ports = (): number => process.getActiveResourcesInfo().filter((r) => r === 'MessagePort' || r === 'Worker').length;
    const before = ports();
    const stream = (open = exportAll());
    await new Promise<void>((resolve) => stream.once('readable', () => resolve()));
    expect(ports()).toBe(before);
  });

  it('stops its thread when the reader goes away', async () => {
    const terminate = jest.spyOn(Worker.prototype, 'terminate');
    try {
      const stream = (open = exportAll());
      await new Promise<void>((resolve) => stream.once('readable', () => resolve()));
      const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()));
      stream.destroy();
      await closed;
      expect(terminate).toHaveBeenCalledTimes(1);
      // terminate() settles with the thread's exit code once it has stopped.
      await expect(terminate.mock.results[0]?.value).resolves.toEqual(expect.any(Number));
    } finally {
      terminate.mockRestore();
    }
  }, 30_000);
});

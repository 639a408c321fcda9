import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { take, uniquePrefix } from '../testing/event-store-test-kit';
import { SqliteEventStore } from './sqlite-event-store';

const repoRoot = resolve(__dirname, '../../../..');
const tsRegister = join(repoRoot, 'test/support/ts-register.js');
const worker = join(__dirname, 'testing/append-worker.ts');

interface Ack {
  readonly id: string;
  readonly position: bigint;
}

/** Starts the append worker and exposes every `ack` line as it arrives. */
function startWorker(path: string, prefix: string, count: number, lanes: number) {
  const child: ChildProcess = spawn(process.execPath, ['-r', tsRegister, worker, path, prefix, String(count), String(lanes)], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const acks: Ack[] = [];
  let stderr = '';
  let buffered = '';
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      const [tag, id, position] = line.split(' ');
      if (tag === 'ack') acks.push({ id, position: BigInt(position) });
    }
    for (const w of waiters.filter((x) => acks.length >= x.n)) w.resolve();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal })),
  );
  const acked = (n: number): Promise<void> =>
    new Promise<void>((ok, fail) => {
      if (acks.length >= n) return ok();
      waiters.push({ n, resolve: ok });
      void exited.then(() => {
        if (acks.length < n) fail(new Error(`worker exited after ${acks.length} acks: ${stderr}`));
      });
    });
  return { child, acks, acked, exited, stderr: () => stderr };
}

describe('SqliteEventStore across processes', () => {
  let dir: string;
  let path: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'verdict-es-sqlite-mp-'));
    path = join(dir, 'events.db');
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every acknowledged append when the writer is killed with SIGKILL mid-stream', async () => {
    const prefix = uniquePrefix('crash');
    const run = startWorker(path, prefix, 1_000_000, 16);
    try {
      await run.acked(2000);
      run.child.kill('SIGKILL');
      const { signal } = await run.exited;
      expect(signal).toBe('SIGKILL');
    } finally {
      run.child.kill('SIGKILL');
    }
    const acked = [...run.acks];
    expect(acked.length).toBeGreaterThanOrEqual(2000);

    const store = await SqliteEventStore.open({ path });
    try {
      const stored = new Map<string, bigint>();
      for (let after: bigint | undefined; ; ) {
        const page = await store.readAll({ after, maxCount: 5000, filter: { streamPrefixes: [prefix] } });
        if (page.length === 0) break;
        for (const e of page) stored.set(e.id, e.position);
        after = page[page.length - 1].position;
      }
      const missing = acked.filter((a) => stored.get(a.id) !== a.position);
      expect(missing).toEqual([]);
      // The file is healthy after the crash: appends continue where the dead writer stopped.
      const lane0 = await store.readStream(`${prefix}-0`);
      const next = await store.appendToStream(`${prefix}-0`, [{ id: randomUUID(), type: 'AfterCrash', data: {} }], {
        expectedRevision: lane0[lane0.length - 1].revision,
      });
      expect(next.nextExpectedRevision).toBe(BigInt(lane0.length));
    } finally {
      await store.close();
    }
  });

  it("a subscription in this process sees another process's appends, in order, exactly once", async () => {
    const prefix = uniquePrefix('cross');
    const store = await SqliteEventStore.open({ path, pollIntervalMs: 20 });
    const sub = store.subscribeToAll({ filter: { streamPrefixes: [prefix] } });
    try {
      const received = take(sub, 300);
      const run = startWorker(path, prefix, 300, 6);
      const { code } = await run.exited;
      expect({ code, stderr: run.stderr() }).toEqual({ code: 0, stderr: '' });
      const got = await received;
      const byPosition = [...run.acks].sort((a, b) => (a.position < b.position ? -1 : 1));
      expect(got.map((e) => [e.id, e.position])).toEqual(byPosition.map((a) => [a.id, a.position]));
    } finally {
      await sub.close();
      await store.close();
    }
  });
});

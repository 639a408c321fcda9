import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { workerScript } from '@verdict/config';
import { validateAppend } from '../append-validation';
import { AppendOutcomeUnknownError, EventStoreUnavailableError } from '../event-store.errors';
import type { AppendResult } from '../event-store.port';
import { newEvent, newEvents, settle, uniquePrefix } from '../testing/event-store-test-kit';
import { SqliteEventStore } from './sqlite-event-store';
import { sqliteGroupCommit } from './sqlite-group-commit';
import { SqliteWriterClient } from './sqlite-writer-client';

const repoRoot = resolve(__dirname, '../../../..');
const nextTurn = (): Promise<void> => new Promise((done) => setImmediate(done));

describe('SqliteEventStore writer thread', () => {
  let dir: string;
  let path: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'verdict-es-sqlite-writer-'));
    path = join(dir, 'events.db');
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('forms the next batch on this thread while the writer commits the current one', async () => {
    const store = await SqliteEventStore.open({ path });
    try {
      const p = uniquePrefix('overlap');
      let firstSettled = false;
      const first = store.appendToStream(`${p}-first`, [newEvent()], { expectedRevision: 'no_stream' });
      void first.finally(() => (firstSettled = true));
      await nextTurn(); // the first batch has been handed to the writer thread
      expect(store.stats().batches).toBe(1);
      expect(firstSettled).toBe(false);
      const next = Array.from({ length: 40 }, (_, i) =>
        store.appendToStream(`${p}-${i}`, newEvents(2), { expectedRevision: 'no_stream' }),
      );
      const results = await Promise.all([first, ...next]);

      expect(store.stats()).toMatchObject({ batches: 2, commits: 2, largestBatch: 40, committedAppends: 41, committedEvents: 81 });
      expect(results[0].position).toBeLessThan(results[1].position);
      expect(await store.readAll({ filter: { streamPrefixes: [p] } })).toHaveLength(81);
    } finally {
      await store.close();
    }
  });

  it('wakes an in-process subscription only once the commit is readable on this thread', async () => {
    const store = await SqliteEventStore.open({ path, pollIntervalMs: 60_000 });
    const sub = store.subscribeToAll();
    try {
      const iterator = sub[Symbol.asyncIterator]();
      const next = iterator.next(); // empty log: the subscription now waits for a commit (the poll is an hour away)
      const appended = await store.appendToStream('woken', [newEvent()], { expectedRevision: 'no_stream' });
      expect((await next).value).toMatchObject({ streamId: 'woken', position: appended.position });
    } finally {
      await sub.close();
      await store.close();
    }
  });

  it('reports a writer that cannot open the file as unavailable', async () => {
    await expect(SqliteWriterClient.start({ path: join(dir, 'missing', 'events.db'), busyTimeoutMs: 100 })).rejects.toBeInstanceOf(
      EventStoreUnavailableError,
    );
  });

  describe.each(['throw', 'exit'])('when the writer thread dies (%s)', (mode) => {
    const crashing = workerScript(join(__dirname, 'testing/crashing-writer.worker.ts'));

    it('rejects the in-flight appends as outcome unknown, the queued ones and every later one as unavailable', async () => {
      const writer = await SqliteWriterClient.start({ path: mode, busyTimeoutMs: 0 }, crashing);
      let wakeUps = 0;
      const committer = sqliteGroupCommit(writer, 500, () => wakeUps++);
      const append = (streamId: string): Promise<AppendResult> => committer.enqueue(validateAppend(streamId, [newEvent()], 'any'));
      const inFlight = [append('a'), append('b'), append('c')];
      await nextTurn();
      const queued = [append('d'), append('e')];
      const sent = await settle(inFlight);
      const notSent = await settle(queued);

      expect([sent.ok, notSent.ok]).toEqual([[], []]);
      // The batch reached the thread before it died: it may have committed, and the error must not say otherwise.
      for (const e of sent.failed) expect(e).toBeInstanceOf(AppendOutcomeUnknownError);
      for (const e of notSent.failed) expect(e).toBeInstanceOf(EventStoreUnavailableError);
      await expect(append('f')).rejects.toBeInstanceOf(EventStoreUnavailableError);
      expect(writer.failure).toBeInstanceOf(EventStoreUnavailableError);
      expect(committer.stats()).toMatchObject({ batches: 1, failedCommits: 1, commits: 0, committedAppends: 0, queued: 0 });
      expect(wakeUps).toBe(0);
      await committer.drain();
      await writer.close();
    });
  });

  it('keeps a process alive until its append is acknowledged, and an idle store does not hold it open', () => {
    // The child never closes the store: it must still print the ack (the in-flight batch holds the process) and then
    // exit on its own (the idle writer thread does not).
    const script = `
      const { SqliteEventStore } = require(${JSON.stringify(join(__dirname, 'sqlite-event-store.ts'))});
      SqliteEventStore.open({ path: process.argv[1] }).then((store) =>
        store.appendToStream('child', [{ id: require('node:crypto').randomUUID(), type: 'T', data: {} }], { expectedRevision: 'no_stream' })
      ).then((r) => console.log('ack ' + r.position));`;
    const child = spawnSync(process.execPath, ['-r', join(repoRoot, 'test/support/ts-register.js'), '-e', script, path], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect({ status: child.status, stdout: child.stdout, stderr: child.stderr }).toEqual({ status: 0, stdout: 'ack 1\n', stderr: '' });
  });
});

import { mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { ComponentState } from '@verdict/config';
import { AppendOutcomeUnknownError, EventStoreUnavailableError, WrongExpectedRevisionError } from '../event-store.errors';
import type { AppendResult, EventData } from '../event-store.port';
import { newEvent, uniquePrefix } from '../testing/event-store-test-kit';
import { SqliteEventStore } from './sqlite-event-store';

const nextTurn = (): Promise<void> => new Promise((done) => setImmediate(done));

/** Waits (bounded by the test's timeout) until the writer thread's supervisor reports `state`. */
async function writerState(store: SqliteEventStore, state: ComponentState): Promise<void> {
  while (store.supervised()[0]?.state !== state) await delay(5);
}

type Attempt = { streamId: string; events: EventData[]; result: PromiseSettledResult<AppendResult> };

async function appendAll(store: SqliteEventStore, streams: readonly string[]): Promise<Attempt[]> {
  const planned = streams.map((streamId) => ({ streamId, events: [newEvent()] }));
  const results = await Promise.allSettled(planned.map((p) => store.appendToStream(p.streamId, p.events, { expectedRevision: 'no_stream' })));
  return planned.map((p, i) => ({ ...p, result: results[i] as PromiseSettledResult<AppendResult> }));
}

/**
 * The real writer thread is ended through the store's fault-injection seam (terminateWriterThread), as a crash would
 * end it; the restart, the reopened file and every append are real.
 */
describe('SqliteEventStore writer thread under supervision', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'verdict-es-sqlite-restart-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a writer killed under concurrent appends: in-flight appends are outcome-unknown, the writer comes back, and nothing acknowledged is lost', async () => {
    const store = await SqliteEventStore.open({ path: join(dir, 'events.db'), writerRestart: { initialDelayMs: 10 } });
    try {
      const p = uniquePrefix('killed');
      const before = await appendAll(store, Array.from({ length: 20 }, (_, i) => `${p}-before-${i}`));
      expect(before.every((a) => a.result.status === 'fulfilled')).toBe(true);

      const inFlight = appendAll(store, Array.from({ length: 30 }, (_, i) => `${p}-in-flight-${i}`));
      await nextTurn(); // that batch has been handed to the writer thread
      const queued = appendAll(store, Array.from({ length: 30 }, (_, i) => `${p}-queued-${i}`));
      await store.terminateWriterThread();
      const [sent, notSent] = await Promise.all([inFlight, queued]);

      for (const a of sent) expect(a.result).toMatchObject({ status: 'rejected', reason: expect.any(AppendOutcomeUnknownError) });
      for (const a of notSent) expect(a.result).toMatchObject({ status: 'rejected', reason: expect.any(EventStoreUnavailableError) });

      await writerState(store, 'up');
      expect(store.supervised()[0]).toMatchObject({ component: 'sqlite-writer', state: 'up', restarts: 1 });
      await expect(store.ping()).resolves.toBeUndefined();
      const after = await appendAll(store, Array.from({ length: 30 }, (_, i) => `${p}-after-${i}`));
      expect(after.every((a) => a.result.status === 'fulfilled')).toBe(true);

      // A retry of an outcome-unknown append with the same events tells which it was: recorded (the stream exists) or not.
      for (const a of sent) {
        const retry = await store.appendToStream(a.streamId, a.events, { expectedRevision: 'no_stream' }).catch((e: unknown) => e);
        if (!(retry instanceof WrongExpectedRevisionError)) expect(retry).toMatchObject({ nextExpectedRevision: 0n });
      }
      const log = await store.readAll({ filter: { streamPrefixes: [p] }, maxCount: 1000 });
      const logged = log.map((e) => e.id);
      for (const a of [...before, ...after]) expect(logged).toContain(a.events[0]?.id);
      for (const a of sent) expect(log.filter((e) => e.streamId === a.streamId)).toHaveLength(1);
      for (const a of notSent) expect(log.some((e) => e.streamId === a.streamId)).toBe(false);
      expect(log).toHaveLength(20 + 30 + 30);
    } finally {
      await store.close();
    }
  });

  it('a writer that cannot reopen its file is given up after its attempts: ping and appends then fail for good', async () => {
    mkdirSync(join(dir, 'live'));
    const store = await SqliteEventStore.open({ path: join(dir, 'live', 'events.db'), writerRestart: { initialDelayMs: 5, maxDelayMs: 20, maxAttempts: 3 } });
    try {
      await store.appendToStream('kept', [newEvent()], { expectedRevision: 'no_stream' });
      // The file's directory goes away: this thread's open read connection keeps reading, a new writer cannot open it.
      renameSync(join(dir, 'live'), join(dir, 'moved'));
      await store.terminateWriterThread();
      await writerState(store, 'failed');

      expect(store.supervised()[0]).toMatchObject({ state: 'failed', restarts: 0, attempts: 4, lastError: expect.stringMatching(/Cannot start the SQLite writer for .*: Cannot open database because the directory does not exist/) });
      await expect(store.ping()).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.appendToStream('lost', [newEvent()], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(EventStoreUnavailableError);
      expect((await store.readStream('kept')).length).toBe(1);
    } finally {
      await store.close();
    }
  });
});

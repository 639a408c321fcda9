import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { SqliteEventStore } from '@verdict/event-store';
import {
  createReadModelDataSource,
  ProjectionFailedError,
  ProjectionStoppedError,
  ProjectionWaitTimeoutError,
} from '@verdict/read-models';
import { DecisionMadeFixture } from '@verdict/read-models/testing/decision-made.fixture';
import { allDecisions, appendDecisions, eventually } from '@verdict/read-models/testing/read-model-test-helpers';
import type { DataSource } from 'typeorm';
import { ProjectionWorkerClient } from './projection-worker-client';
import type { ProjectionWorkerData } from './projection-worker.protocol';

interface LogLine {
  level: number;
  msg: string;
  err?: { message: string };
}

describe('ProjectionWorkerClient (projections on their own thread, real SQLite files)', () => {
  let dir: string;
  let data: ProjectionWorkerData;
  let store: SqliteEventStore;
  let readModels: DataSource;
  let lines: LogLine[];
  let client: ProjectionWorkerClient | undefined;
  const fixture = new DecisionMadeFixture('worker');
  const logger = () => pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as LogLine) });

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'verdict-projection-worker-'));
    data = {
      eventStore: { kind: 'sqlite', url: path.join(dir, 'events.sqlite') },
      readModels: { kind: 'sqlite', url: path.join(dir, 'read-models.sqlite') },
      batchSize: 50,
      minBatchIntervalMs: 25,
      backgroundNice: 0,
      driftWindowSeconds: 3600,
      reportIntervalMs: 10,
    };
    lines = [];
    store = await SqliteEventStore.open({ path: data.eventStore.url });
    readModels = await createReadModelDataSource(data.readModels); // migrates before the thread opens its own
  });

  afterEach(async () => {
    await client?.stop().catch(() => undefined);
    client = undefined;
    await store.close();
    await readModels.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('projects what another connection appends and reports the checkpoint back', async () => {
    await appendDecisions(store, fixture, 5); // before start: caught up from checkpoint 0
    client = await ProjectionWorkerClient.start(data, logger());
    const head = await appendDecisions(store, fixture, 120);
    client.hint();
    await client.waitForPosition(head, 20_000);
    expect(client.checkpoint).toBe(head);
    expect(client.failure).toBeUndefined();
    // This thread's read-only DataSource sees the thread's commits.
    expect((await allDecisions(readModels)).map((d) => BigInt(d.position))).toEqual(
      Array.from({ length: Number(head) }, (_, i) => BigInt(i + 1)),
    );
    expect(lines.some((l) => l.msg === 'projection started')).toBe(true);
  });

  it('picks up appends by polling when no hint comes', async () => {
    client = await ProjectionWorkerClient.start(data, logger());
    const head = await appendDecisions(store, fixture, 3);
    await client.waitForPosition(head, 20_000);
    expect(client.checkpoint).toBe(head);
  });

  it('stop() closes the thread, logs the stop, and rejects later and pending waits', async () => {
    client = await ProjectionWorkerClient.start(data, logger());
    const pending = client.waitForPosition(1_000_000n, 60_000);
    await client.stop();
    await expect(pending).rejects.toBeInstanceOf(ProjectionStoppedError);
    await expect(client.waitForPosition(1_000_000n, 1000)).rejects.toBeInstanceOf(ProjectionStoppedError);
    expect(lines.some((l) => l.msg === 'projection stopped')).toBe(true);
    await client.stop(); // idempotent
  });

  it('times out a wait the projection does not reach', async () => {
    client = await ProjectionWorkerClient.start(data, logger());
    await expect(client.waitForPosition(10n, 50)).rejects.toBeInstanceOf(ProjectionWaitTimeoutError);
  });

  it('surfaces a projection error: failure set, waiters rejected, error logged', async () => {
    await appendDecisions(store, fixture, 2);
    const { streamId, event } = fixture.event({ schemaVersion: 99 });
    await store.appendToStream(streamId, [event], { expectedRevision: 'no_stream' });
    const told: Error[] = [];
    client = await ProjectionWorkerClient.start({ ...data, batchSize: 1 }, logger(), undefined, (_c, e) => told.push(e)); // the good events commit first
    const waiting = client.waitForPosition(3n, 20_000);
    await expect(waiting).rejects.toBeInstanceOf(ProjectionFailedError);
    expect(told).toEqual([client.failure]); // its supervisor is told once
    expect(client.failure?.name).toBe('UnsupportedEventSchemaError');
    expect(client.failure?.message).toContain('schemaVersion 99');
    expect(client.checkpoint).toBe(2n);
    expect(lines.some((l) => l.level >= 50 && l.msg === 'projection failed' && l.err?.message.includes('schemaVersion 99'))).toBe(true);
    // The failed projection's thread still counts what it has to apply: the unreadable event and what came after.
    await appendDecisions(store, fixture, 4);
    expect(await client.lag()).toBe(5);
    await client.stop();
    await expect(client.lag()).rejects.toThrow('the projection thread is not running');
  });

  it('counts its lag on its own thread: 0 once caught up', async () => {
    client = await ProjectionWorkerClient.start(data, logger());
    const head = await appendDecisions(store, fixture, 30);
    await client.waitForPosition(head, 20_000);
    expect(await client.lag()).toBe(0);
  });

  it('surfaces a dead thread: failure set, waiters rejected, death logged; stop() still returns', async () => {
    const script = { file: path.join(__dirname, 'testing', 'exiting-projection.worker.js') };
    const told: Error[] = [];
    client = await ProjectionWorkerClient.start(data, logger(), script, (_c, e) => told.push(e));
    const waiting = client.waitForPosition(1n, 20_000);
    client.hint(); // the double exits with code 7 on it
    await expect(waiting).rejects.toBeInstanceOf(ProjectionFailedError);
    expect(told).toEqual([client.failure]);
    expect(client.failure?.message).toBe('projection thread exited unexpectedly (code 7)');
    expect(lines.filter((l) => l.level >= 50 && l.msg === 'projection thread failed')).toHaveLength(1);
    await expect(client.lag()).rejects.toThrow('the projection thread is not running');
    await client.stop();
  });

  it('rejects start when the thread cannot open its read model', async () => {
    const bad = { ...data, readModels: { kind: 'sqlite' as const, url: dir } }; // a directory, not a database file
    await expect(ProjectionWorkerClient.start(bad, logger())).rejects.toThrow(/projection thread could not start/);
  });
});

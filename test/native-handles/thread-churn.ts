/**
 * Child process of native-handles.spec.ts, run as `node --expose-gc -r test/support/ts-register.js thread-churn.ts
 * <kind> <cycles> <dir>`. Starts and stops one kind of worker thread that owns native handles, again and again, and
 * forces garbage collection while its statements (or sessions) are alive and right after they were closed. That is
 * the moment better-sqlite3 12 aborted on Node 24 (Statement::~Statement at GC, "(env) != nullptr"). The process
 * prints `survived <kind> <cycles>` and exits 0 only if nothing aborted; a native abort kills it with SIGABRT.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import pino from 'pino';
import { DecisionMadeFixture } from '@verdict/read-models/testing/decision-made.fixture';
import { SqliteEventStore } from '@verdict/event-store';
import { ProjectionWorkerClient } from '../../apps/engine/src/projections/projection-worker-client';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');
const collect = async (): Promise<void> => {
  gc();
  await new Promise((done) => setImmediate(done)); // let finalizers and worker teardown interleave with the next GC
  gc();
};

/** The event store's writer thread (prepared statements on both threads) plus a subscription reading meanwhile. */
async function sqliteWriterCycle(dir: string, cycle: number): Promise<void> {
  const store = await SqliteEventStore.open({ path: join(dir, 'events.sqlite') });
  const fixture = new DecisionMadeFixture(`churn${cycle}`);
  const subscription = store.subscribeToAll({ after: await store.headPosition() });
  const appends = Array.from({ length: 20 }, () => fixture.event()).map((e) =>
    store.appendToStream(e.streamId, [e.event], { expectedRevision: 'no_stream' }),
  );
  await collect(); // statements alive on both threads, a batch in flight
  await Promise.all(appends);
  const iterator = subscription[Symbol.asyncIterator]();
  for (let i = 0; i < 20; i++) await iterator.next();
  await store.readAll({ maxCount: 50 }); // prepares and caches more statements on this thread
  await collect();
  await subscription.close();
  await store.close();
  await collect(); // the writer thread has just been torn down with its statements
}

/** The engine's projection thread: its own event store reader plus TypeORM on better-sqlite3, applying a batch. */
async function projectionWorkerCycle(dir: string, cycle: number, store: SqliteEventStore): Promise<void> {
  const fixture = new DecisionMadeFixture(`proj${cycle}`);
  let last = 0n;
  for (const e of Array.from({ length: 10 }, () => fixture.event())) {
    last = (await store.appendToStream(e.streamId, [e.event], { expectedRevision: 'no_stream' })).position;
  }
  const client = await ProjectionWorkerClient.start(
    {
      eventStore: { kind: 'sqlite', url: join(dir, 'events.sqlite'), schema: 'verdict' },
      readModels: { kind: 'sqlite', url: join(dir, 'read-models.sqlite'), schema: 'verdict_read' },
      batchSize: 500,
      minBatchIntervalMs: 0,
      driftWindowSeconds: 3600,
      backgroundNice: 0,
      reportIntervalMs: 1,
    },
    pino({ level: 'silent' }),
  );
  await collect();
  client.hint();
  await client.waitForPosition(last, 30_000);
  await collect(); // read-model statements alive in the thread
  await client.stop();
  await collect();
}

/** A bare thread that loads onnxruntime, runs the demo model and exits: what a replay worker will do. */
async function onnxWorkerCycle(): Promise<void> {
  const worker = new Worker(join(__dirname, 'onnx-session.worker.js'), {
    workerData: { modelPath: join(__dirname, '../../models/fraud-demo/1.0.0/model.onnx') },
  });
  const done = new Promise<void>((resolve, reject) => {
    worker.once('message', (m: { ok: boolean; error?: string }) => (m.ok ? resolve() : reject(new Error(m.error))));
    worker.once('error', reject);
  });
  await collect();
  await done;
  await worker.terminate();
  await collect();
}

async function main(): Promise<void> {
  const [kind, cyclesArg, dir] = process.argv.slice(2);
  const cycles = Number(cyclesArg);
  if (kind === 'sqlite-writer') {
    for (let i = 0; i < cycles; i++) await sqliteWriterCycle(dir, i);
  } else if (kind === 'projection-worker') {
    const store = await SqliteEventStore.open({ path: join(dir, 'events.sqlite') });
    for (let i = 0; i < cycles; i++) await projectionWorkerCycle(dir, i, store);
    await store.close();
  } else if (kind === 'onnx-worker') {
    for (let i = 0; i < cycles; i++) await onnxWorkerCycle();
  } else {
    throw new Error(`unknown kind ${kind}`);
  }
  await collect();
  process.stdout.write(`survived ${kind} ${cycles}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});

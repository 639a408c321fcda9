/**
 * Projection thread of the engine (VERDICT_PROJECTIONS=inline): opens its own event store reader and read-model
 * DataSource and runs the decision-history projection, so applying batches never competes with HTTP on the main
 * event loop. Started by ProjectionWorkerClient; speaks projection-worker.protocol.ts.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { lowerThreadPriority } from '@verdict/config';
import { createEventStore, type EventStore } from '@verdict/event-store';
import {
  createReadModelDataSource,
  ProjectionRunner,
  ReadModelProjections,
  readModelParts,
  ProjectionWaitTimeoutError,
  projectionLag,
  type ProjectionLogger,
} from '@verdict/read-models';
import type { DataSource } from 'typeorm';
import {
  toWireError,
  toWireLogFields,
  type FromProjectionWorker,
  type ProjectionWorkerData,
  type ToProjectionWorker,
} from './projection-worker.protocol';

interface Opened {
  readonly store: EventStore;
  readonly dataSource: DataSource;
  readonly runner: ProjectionRunner;
  /** The event types the projections apply: their lag counts only these. */
  readonly eventTypes: readonly string[];
}

async function open(data: ProjectionWorkerData, send: (m: FromProjectionWorker) => void): Promise<Opened> {
  const logger: ProjectionLogger = {
    info: (obj, msg) => send({ type: 'log', level: 'info', obj: toWireLogFields(obj), msg }),
    error: (obj, msg) => send({ type: 'log', level: 'error', obj: toWireLogFields(obj), msg }),
  };
  const store = await createEventStore(data.eventStore, { readOnly: true });
  let dataSource: DataSource | undefined;
  try {
    dataSource = await createReadModelDataSource(data.readModels);
    // Lowered only now: a thread starts at its parent's priority, and any thread the stores start must keep the
    // request path's (the event store opens read-only here, so no SQLite writer; the read models start none today).
    const refused = lowerThreadPriority(data.backgroundNice);
    if (refused) logger.info({ reason: refused }, "projection thread runs at the request path's priority");
    const ds = dataSource;
    const projection = new ReadModelProjections(readModelParts({ driftWindowSeconds: data.driftWindowSeconds }));
    const runner: ProjectionRunner = new ProjectionRunner({
      eventStore: store,
      dataSource: ds,
      projection,
      batchSize: data.batchSize,
      minBatchIntervalMs: data.minBatchIntervalMs,
      logger,
      onError: (error) => send({ type: 'failed', checkpoint: runner.status().checkpoint, error: toWireError(error) }),
    });
    await runner.start();
    return { store, dataSource: ds, runner, eventTypes: projection.canHandle };
  } catch (e) {
    await dataSource?.destroy().catch(() => undefined); // the start failure is what gets reported
    await store.close().catch(() => undefined);
    throw e;
  }
}

/** Reports each checkpoint advance, at most one report per interval (the main thread's waiters and readiness read them). */
async function reportCheckpoints(runner: ProjectionRunner, intervalMs: number, send: (m: FromProjectionWorker) => void): Promise<void> {
  let reported = runner.status().checkpoint;
  for (;;) {
    try {
      await runner.waitForPosition(reported + 1n, 60_000);
    } catch (e) {
      if (e instanceof ProjectionWaitTimeoutError) continue;
      return; // failed or stopped: 'failed' / 'stopped' carry the checkpoint
    }
    reported = runner.status().checkpoint;
    send({ type: 'checkpoint', checkpoint: reported });
    await delay(intervalMs);
  }
}

async function close(opened: Opened): Promise<FromProjectionWorker> {
  const failures: { step: string; error: ReturnType<typeof toWireError> }[] = [];
  const steps: [string, () => Promise<unknown>][] = [
    ['projection', () => opened.runner.stop()],
    ['event store', () => opened.store.close()],
    ['read models', () => (opened.dataSource.isInitialized ? opened.dataSource.destroy() : Promise.resolve())],
  ];
  for (const [step, run] of steps) {
    try {
      await run();
    } catch (e) {
      failures.push({ step, error: toWireError(e) });
    }
  }
  return { type: 'stopped', checkpoint: opened.runner.status().checkpoint, failures };
}

async function serve(port: MessagePort, data: ProjectionWorkerData): Promise<void> {
  const send = (message: FromProjectionWorker): void => port.postMessage(message);
  let opened: Opened;
  try {
    opened = await open(data, send);
  } catch (e) {
    send({ type: 'start_failed', error: toWireError(e) });
    return;
  }
  const { store, runner, eventTypes } = opened;
  let stopping = false;
  port.on('message', (message: ToProjectionWorker) => {
    if (message.type === 'appended') {
      // The main thread's instance committed: this one's idle subscription reads now rather than at its next poll.
      if (!stopping) store.notifyAppended();
    } else if (message.type === 'lag') {
      const { id } = message;
      projectionLag(store, eventTypes, runner.status().checkpoint).then(
        (lag) => send({ type: 'lag', id, lag }),
        (error: unknown) => send({ type: 'lag_failed', id, error: toWireError(error) }),
      );
    } else if (message.type === 'stop' && !stopping) {
      stopping = true;
      void close(opened).then(send);
    }
  });
  send({ type: 'started', projection: runner.name, checkpoint: runner.status().checkpoint });
  await reportCheckpoints(runner, data.reportIntervalMs, send);
}

if (parentPort === null) throw new Error('projection.worker must run in a worker thread');
void serve(parentPort, workerData as ProjectionWorkerData);

/**
 * A replay thread: opens its own event store reader, artifact store and model sessions, and replays one share of
 * the log, so a replay neither blocks the engine's event loop (onnxruntime-node runs a model synchronously on the
 * calling thread) nor is limited to one core. Started by replay-threads.ts; speaks replay-worker.protocol.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createArtifactStore, type ArtifactStore } from '@verdict/artifact-store';
import { lowerThreadPriority } from '@verdict/config';
import { createEventStore, type EventStore } from '@verdict/event-store';
import { ModelCatalog } from '../models/model-catalog';
import { featureSpecsFrom } from './replay-feature-specs';
import { ReplayModels } from './replay-models';
import { runReplay } from './replay-run';
import type { FromReplayWorker, ReplayWorkerData, ToReplayWorker } from './replay-worker.protocol';

const data = workerData as ReplayWorkerData;
const send = (message: FromReplayWorker): void => parentPort!.postMessage(message);
let stopping = false;
parentPort!.on('message', (message: ToReplayWorker) => {
  if (message.type === 'stop') stopping = true;
});

async function main(): Promise<void> {
  let store: EventStore | undefined;
  let artifacts: ArtifactStore | undefined;
  let models: ReplayModels | undefined;
  let result: FromReplayWorker;
  try {
    store = await createEventStore(data.eventStore, { readOnly: true });
    artifacts = await createArtifactStore(data.artifactStore);
    models = new ReplayModels(artifacts);
    // Lowered only now: the threads the stores start keep the request path's priority (a thread starts at its
    // parent's). Refused (not Linux): the replay runs at the request path's priority.
    lowerThreadPriority(data.backgroundNice);
    const report = await runReplay(data.selection, {
      store,
      models,
      startAfter: data.startAfter,
      endAt: data.endAt,
      featureSpecsFor: featureSpecsFrom(new ModelCatalog(store)),
      onProgress: (done) => {
        if (stopping) throw new Error('the engine shut down during the replay');
        send({ type: 'progress', done });
      },
    });
    result = { type: 'done', report };
  } catch (error) {
    result = { type: 'failed', message: error instanceof Error ? error.message : String(error) };
  } finally {
    await models?.close().catch(() => undefined);
    await artifacts?.close().catch(() => undefined);
    await store?.close().catch(() => undefined);
  }
  // Last, once everything is closed: the main thread ends this thread when it has the result.
  send(result);
}

void main();

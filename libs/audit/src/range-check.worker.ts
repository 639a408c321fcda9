import { parentPort, workerData } from 'node:worker_threads';
import { lowerThreadPriority } from '@verdict/config';
import { createEventStore, type EventStore } from '@verdict/event-store';
import type { FromRangeCheckWorker, RangeCheckWorkerData, ToRangeCheckWorker } from './range-check.protocol';
import { checkRangeInStore } from './range-checker';

/** A thread that checks seal ranges against its own connection to the store (see WorkerRangeChecker). */
const port = parentPort!;
const send = (m: FromRangeCheckWorker) => port.postMessage(m);

void (async () => {
  let store: EventStore;
  try {
    store = await createEventStore((workerData as RangeCheckWorkerData).store, { readOnly: true });
    // Lowered only once the store is open: the threads it starts keep the request path's priority. Refused (not
    // Linux): the check runs at its parent's priority.
    lowerThreadPriority((workerData as RangeCheckWorkerData).backgroundNice);
  } catch (e) {
    send({ type: 'error', id: null, message: (e as Error).message });
    return;
  }
  port.on('message', (m: ToRangeCheckWorker) => {
    if (m.type === 'close') {
      void store.close().finally(() => send({ type: 'closed' }));
      return;
    }
    checkRangeInStore(store, m.header, m.entries).then(
      (result) => send({ type: 'result', id: m.id, result }),
      (e: Error) => send({ type: 'error', id: m.id, message: e.message }),
    );
  });
  send({ type: 'ready' });
})();

/**
 * The engine's sealer thread: its own event store connection, its own view of `audit-seals`, and the AuditSealer, so
 * that reading and hashing every committed event never competes with HTTP on the main event loop. Started by
 * SealerThread; speaks sealer-thread.protocol.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThreadPriority } from '@verdict/config';
import { createEventStore } from '@verdict/event-store';
import { AuditSealer, type SealerLog } from './audit-sealer';
import { SealChain } from './seal-chain';
import type { FromSealerWorker, SealerWorkerData, ToSealerWorker } from './sealer-thread.protocol';
import { loadSigningKey } from './signing-key-file';

const port = parentPort!;
const send = (m: FromSealerWorker) => port.postMessage(m);
const wire = (obj: Record<string, unknown>): Record<string, unknown> => {
  const err = obj.err as Error | undefined;
  return err instanceof Error ? { ...obj, err: { name: err.name, message: err.message, stack: err.stack } } : obj;
};
const log: SealerLog = {
  info: (obj, msg) => send({ type: 'log', level: 'info', obj: wire(obj), msg }),
  error: (obj, msg) => send({ type: 'log', level: 'error', obj: wire(obj), msg }),
};

void (async () => {
  const data = workerData as SealerWorkerData;
  let sealer: AuditSealer;
  let close: () => Promise<void>;
  try {
    const store = await createEventStore(data.eventStore);
    close = () => store.close();
    // Lowered only now: a thread starts at its parent's priority, and this store's SQLite writer appends the seals
    // under the log's write lock, which the request path's writer waits for.
    const refused = lowerThreadPriority(data.backgroundNice);
    if (refused) log.info({ reason: refused }, "sealer thread runs at the request path's priority");
    try {
      // The main thread has already created the key if it was missing; here it must exist.
      const key = loadSigningKey(data.keyPath, false);
      sealer = new AuditSealer(store, new SealChain(store, data.intervalMs), key, { intervalMs: data.intervalMs, maxEvents: data.maxEvents }, log);
      await sealer.start();
    } catch (e) {
      await store.close().catch(() => undefined);
      throw e;
    }
  } catch (e) {
    send({ type: 'failed', message: (e as Error).message });
    return;
  }
  port.on('message', (m: ToSealerWorker) => {
    if (m.type !== 'stop') return;
    void sealer
      .stop(m.finalSealMs === undefined ? undefined : Date.now() + m.finalSealMs)
      .then(() => close())
      .then(
        () => send({ type: 'stopped' }),
        (e: Error) => send({ type: 'failed', message: e.message }),
      );
  });
  send({ type: 'started' });
})();

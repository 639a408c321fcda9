import { parentPort, workerData } from 'node:worker_threads';
import { createEventStore, type EventStore } from '@verdict/event-store';
import { ReadModelProjections, readModelParts } from '../projections/read-model-projections';
import { projectionFilter } from '../projections/projection';
import type { FromPreparedLogWorker, PreparedLogWorkerData, ToPreparedLogWorker } from './prepared-log.protocol';

/**
 * Reads the whole log through its own store connection and prepares each page for the read-model projections
 * (PreparingProjection.prepare: parsing, upcasting, row building), `pagesAhead` pages ahead of the writer, which
 * only writes. See PreparedLogReader.
 */
const port = parentPort!;
const data = workerData as PreparedLogWorkerData;
const send = (m: FromPreparedLogWorker) => port.postMessage(m);

let credit = data.pagesAhead;
let wake: (() => void) | null = null;
let closing = false;
port.on('message', (m: ToPreparedLogWorker) => {
  if (m.type === 'close') closing = true;
  else credit += 1;
  wake?.();
});

void (async () => {
  let store: EventStore | undefined;
  try {
    store = await createEventStore(data.store, { readOnly: true });
    const projection = new ReadModelProjections(readModelParts(data.readModels));
    const filter = projectionFilter(projection);
    const read = (after: bigint) => (store as EventStore).readAll({ after, maxCount: data.pageSize, filter });
    // One read always in flight: a store across the network (PostgreSQL, EventStoreDB) answers the next page while
    // this thread prepares the current one.
    for (let next = read(0n); !closing; ) {
      const page = await next;
      if (page.length === 0) {
        send({ type: 'end' });
        break;
      }
      const after = (page.at(-1) as { position: bigint }).position;
      next = read(after);
      next.catch(() => undefined); // awaited on the next turn
      // The store filters by type prefix; the projection reads exact types (as applyProjectionBatch does).
      const events = page.filter((event) => projection.canHandle.includes(event.type));
      const prepared = projection.prepare(events, data.dialect);
      while (credit === 0 && !closing) await new Promise<void>((resolve) => (wake = resolve));
      if (closing) break;
      credit -= 1;
      send({ type: 'page', prepared, last: after, applied: events.length });
    }
  } catch (error) {
    send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  } finally {
    await store?.close();
  }
})();

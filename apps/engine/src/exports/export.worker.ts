/**
 * An export thread: opens its own event store reader and turns one export's pages into text, so that reading and
 * parsing some hundreds of MB of events neither stalls the engine's event loop (live decisions) nor is limited by it.
 * Started by export-thread.ts; speaks export-worker.protocol.ts. It sends a chunk only against credit (`more`), so it
 * never runs further ahead of a slow client than `credit` chunks. It opens its own subject vault too (its own
 * connection to the key store, its own cache for this one export), to show personal values in the clear or ERASED.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { deriveKeys } from '@verdict/domain';
import { lowerThreadPriority } from '@verdict/config';
import { createEventStore, type EventStore } from '@verdict/event-store';
import { createSubjectKeyStore, SubjectVault, type SubjectKeyStore } from '@verdict/subject-keys';
import { loadMasterKey } from '../privacy/master-key-file';
import type { SealRef } from '../audit/seal-index.port';
import { exportChunks, type SealLookup } from './export-chunks';
import type { ExportWorkerData, FromExportWorker, ToExportWorker } from './export-worker.protocol';

const data = workerData as ExportWorkerData;
const send = (message: FromExportWorker): void => parentPort!.postMessage(message);

let credit = data.credit;
let stopping = false;
let wake: (() => void) | undefined;
let sealsArrived: ((m: Extract<ToExportWorker, { type: 'seals' }>) => void) | undefined;

parentPort!.on('message', (m: ToExportWorker) => {
  if (m.type === 'more') credit++;
  else if (m.type === 'stop') stopping = true;
  else sealsArrived?.(m);
  wake?.();
});

/** The seals the main thread's index knows, asked for only when the read passes the last one known. */
class ThreadSeals implements SealLookup {
  private refs: SealRef[] = [];
  private sealedThrough = 0n;
  private final = false;

  async reach(position: bigint): Promise<void> {
    if (this.final || position <= this.sealedThrough) return;
    const answer = await new Promise<Extract<ToExportWorker, { type: 'seals' }>>((resolve) => {
      sealsArrived = resolve;
      send({ type: 'seals', after: this.sealedThrough });
    });
    sealsArrived = undefined;
    this.refs = [...this.refs, ...answer.refs];
    this.sealedThrough = answer.sealedThrough;
    this.final = answer.final;
  }

  covering(position: bigint): SealRef | null {
    let lo = 0;
    let hi = this.refs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.refs[mid];
      if (position <= s.fromPosition) hi = mid - 1;
      else if (position > s.toPosition) lo = mid + 1;
      else return s;
    }
    return null;
  }
}

async function main(): Promise<void> {
  let store: EventStore | undefined;
  let keys: SubjectKeyStore | undefined;
  let result: FromExportWorker = { type: 'end' };
  try {
    // Never creates the master key: the engine did at start, and a new one here would open nothing.
    const { key } = loadMasterKey(data.privacy.masterKeyPath, false);
    const keyStore = (keys = await createSubjectKeyStore(data.privacy.keyStore));
    const vault = new SubjectVault(keyStore, deriveKeys(key), data.privacy);
    store = await createEventStore(data.eventStore, { readOnly: true });
    // Lowered only now: the threads the stores start keep the request path's priority (a thread starts at its
    // parent's). Refused (not Linux): the export runs at the request path's priority.
    lowerThreadPriority(data.backgroundNice);
    for await (const text of exportChunks(store, data.selection, new ThreadSeals(), vault)) {
      while (credit === 0 && !stopping) await new Promise<void>((resolve) => (wake = resolve));
      if (stopping) break;
      credit--;
      send({ type: 'chunk', text });
    }
  } catch (error) {
    result = { type: 'failed', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  } finally {
    await store?.close().catch(() => undefined);
    await keys?.close().catch(() => undefined);
  }
  // Last, once the stores are closed: the main thread ends this thread when it has the result.
  send(result);
}

void main();

import { parentPort, workerData } from 'node:worker_threads';
import type { SubjectKeyStore } from '../subject-key-store.port';
import { SqliteSubjectKeyStore } from './sqlite-subject-key-store';

/** A call from the main thread: a method of the port and its arguments. */
export interface KeyStoreCall {
  readonly id: number;
  readonly method: keyof SubjectKeyStore;
  readonly args: unknown[];
}

export type KeyStoreAnswer = { readonly id: number; readonly value: unknown } | { readonly id: number; readonly error: { message: string; name: string; code?: string } };

/**
 * The SQLite key store on a thread of its own: better-sqlite3 is synchronous, and a commit (an fsync) or a wait for
 * the file's lock must not stop the engine's main thread. Calls are answered in the order they came.
 */
async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('sqlite-key-store.worker runs as a worker thread');
  let store: SqliteSubjectKeyStore;
  try {
    store = await SqliteSubjectKeyStore.open(workerData.file as string);
    port.postMessage({ ready: true });
  } catch (e) {
    port.postMessage({ ready: false, error: { message: (e as Error).message, name: (e as Error).name, code: (e as { code?: string }).code } });
    return;
  }
  port.on('message', async (call: KeyStoreCall) => {
    try {
      const fn = store[call.method] as (...a: unknown[]) => Promise<unknown>;
      port.postMessage({ id: call.id, value: await fn.apply(store, call.args) } satisfies KeyStoreAnswer);
      if (call.method === 'close') port.close();
    } catch (e) {
      port.postMessage({ id: call.id, error: { message: (e as Error).message, name: (e as Error).name, code: (e as { code?: string }).code } } satisfies KeyStoreAnswer);
    }
  });
}

void main();

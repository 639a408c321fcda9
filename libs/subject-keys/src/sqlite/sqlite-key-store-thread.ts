import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { workerScript } from '@verdict/config';
import { SubjectKeyStoreUnavailableError } from '../subject-key-store.errors';
import type { ErasureRecord, RegisterResult, StoredIdentity, StoredSubjectKey, SubjectKeyStore } from '../subject-key-store.port';
import type { KeyStoreAnswer, KeyStoreCall } from './sqlite-key-store.worker';

const toBuffer = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
const keys = (rows: StoredSubjectKey[]): StoredSubjectKey[] => rows.map((k) => ({ ...k, wrapped: toBuffer(k.wrapped) }));

/**
 * SqliteSubjectKeyStore on its own worker thread (sqlite-key-store.worker.ts), behind the same port: a commit's
 * fsync, or a wait for the file's lock, never blocks the engine's main thread. Buffers cross as Uint8Array copies.
 */
export class SqliteKeyStoreThread implements SubjectKeyStore {
  private next = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private failed: Error | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (answer: KeyStoreAnswer) => {
      const call = this.pending.get(answer.id);
      if (!call) return;
      this.pending.delete(answer.id);
      if ('error' in answer) call.reject(Object.assign(new SubjectKeyStoreUnavailableError(answer.error.message), { name: answer.error.name }));
      else call.resolve(answer.value);
    });
    const fail = (error: Error) => {
      this.failed = new SubjectKeyStoreUnavailableError(`the subject key store's thread stopped: ${error.message}`, { cause: error });
      for (const call of this.pending.values()) call.reject(this.failed);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
  }

  static async open(file: string): Promise<SqliteKeyStoreThread> {
    const script = workerScript(join(__dirname, `sqlite-key-store.worker${extname(__filename)}`));
    const worker = new Worker(script.file, { name: 'key-store', workerData: { file }, execArgv: script.execArgv });
    const ready = await new Promise<{ ready: boolean; error?: { message: string } }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    if (!ready.ready) {
      await worker.terminate();
      throw new SubjectKeyStoreUnavailableError(ready.error?.message ?? `Cannot open the subject key store at ${file}`);
    }
    return new SqliteKeyStoreThread(worker);
  }

  async liveKeys(subjectRefs: readonly string[]): Promise<StoredSubjectKey[]> {
    return keys((await this.call('liveKeys', [subjectRefs])) as StoredSubjectKey[]);
  }

  async anyKey(): Promise<StoredSubjectKey | undefined> {
    const key = (await this.call('anyKey', [])) as StoredSubjectKey | undefined;
    return key && { ...key, wrapped: toBuffer(key.wrapped) };
  }

  async keysById(keyIds: readonly string[]): Promise<StoredSubjectKey[]> {
    return keys((await this.call('keysById', [keyIds])) as StoredSubjectKey[]);
  }

  async register(newKeys: readonly StoredSubjectKey[], identities: readonly StoredIdentity[]): Promise<RegisterResult> {
    const result = (await this.call('register', [newKeys, identities])) as RegisterResult;
    return result.ok ? result : { ok: false, liveKeys: keys([...result.liveKeys]) };
  }

  async identities(pseudonyms: readonly string[]): Promise<StoredIdentity[]> {
    return ((await this.call('identities', [pseudonyms])) as StoredIdentity[]).map((i) => ({ ...i, sealed: toBuffer(i.sealed) }));
  }

  erase(subjectRef: string, erasedAt: Date): Promise<ErasureRecord> {
    return this.call('erase', [subjectRef, erasedAt]) as Promise<ErasureRecord>;
  }

  erasuresAfter(afterSequence: number, limit: number): Promise<ErasureRecord[]> {
    return this.call('erasuresAfter', [afterSequence, limit]) as Promise<ErasureRecord[]>;
  }

  lastErasure(subjectRef: string): Promise<ErasureRecord | undefined> {
    return this.call('lastErasure', [subjectRef]) as Promise<ErasureRecord | undefined>;
  }

  async close(): Promise<void> {
    if (this.failed) return;
    await this.call('close', []).catch(() => undefined);
    await this.worker.terminate();
  }

  private call(method: KeyStoreCall['method'], args: unknown[]): Promise<unknown> {
    if (this.failed) return Promise.reject(this.failed);
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, method, args } satisfies KeyStoreCall);
    });
  }
}

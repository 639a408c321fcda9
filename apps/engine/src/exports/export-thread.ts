import { extname, join } from 'node:path';
import { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { workerScript, type VerdictConfig, type WorkerScript } from '@verdict/config';
import type { SealIndex, SealRef } from '../audit/seal-index.port';
import { EXPORT_CHUNK_CHARS, type ExportSelection } from './export-chunks';
import type { ExportWorkerData, FromExportWorker, ToExportWorker } from './export-worker.protocol';

/** The export worker next to this file: `.js` from dist/, `.ts` from source (see workerScript). */
const exportWorkerScript = (): WorkerScript => workerScript(join(__dirname, `export.worker${extname(__filename)}`));

/**
 * The thread's heap. A page holds at most 2 M characters of text (EXPORT_PAGE_CHARS, cut by the store) and its events;
 * left to its defaults a thread's heap grows by 100+ MB of garbage over a large export before V8 collects it, and
 * resident memory with it. A young generation this size is collected often and cheaply, and since each row is parsed,
 * opened and written in one go (exportChunks) its garbage dies there; only the page's text lives longer. At 8 MB a
 * scavenge ran every ~9 ms and JSONL was ~5 % slower. The old generation holds the thread's code (the thread ran out
 * of memory at 24 MB with pages of ~1 MB) and the page: 128 MB is several times what a page can take (~4 MB of text
 * where it is not Latin-1), left as it was measured (docs/benchmarks.md, the export's memory).
 */
const THREAD_HEAP = { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 128 };

/** Chunks (EXPORT_CHUNK_CHARS each) the thread may produce ahead of the client: about 1 MB. */
export const READ_AHEAD = 16;

/**
 * The seals after `after` up to what the index has sealed, walking them through `covering` (seals are contiguous:
 * each starts where the previous one ended). Without an index nothing is sealed, and the thread need not ask again.
 */
async function sealsAfter(index: SealIndex | null, after: bigint): Promise<Extract<ToExportWorker, { type: 'seals' }>> {
  if (!index) return { type: 'seals', refs: [], sealedThrough: 0n, final: true };
  const ranges = await index.snapshot();
  const refs: SealRef[] = [];
  for (let ref = ranges.covering(after + 1n); ref; ref = ranges.covering(ref.toPosition + 1n)) refs.push(ref);
  return { type: 'seals', refs, sealedThrough: refs.at(-1)?.toPosition ?? after, final: false };
}

/**
 * An export as a Readable fed by its own thread: each time the consumer (Fastify's reply) wants more, the thread gets
 * credit for one more chunk, so a slow client slows the reads instead of filling memory. A failure in the thread
 * destroys the stream with its error (the response is then cut off); destroying the stream (client gone) stops the
 * thread.
 */
export function exportOnThread(
  config: Pick<VerdictConfig, 'eventStore' | 'privacy' | 'threads'>,
  selection: ExportSelection,
  seals: SealIndex | null,
): Readable {
  const script = exportWorkerScript();
  const data: ExportWorkerData = { eventStore: config.eventStore, privacy: config.privacy, selection, credit: READ_AHEAD, backgroundNice: config.threads.backgroundNice };
  const worker = new Worker(script.file, { name: 'export', workerData: data, execArgv: script.execArgv, resourceLimits: THREAD_HEAP });
  const tell = (m: ToExportWorker): void => worker.postMessage(m);
  let settled = false;
  // Strings all the way to the socket (encoding set): net writes a string straight from the V8 heap, where a Buffer
  // would be external memory that V8 only collects after tens of MB have piled up.
  const stream = new Readable({
    encoding: 'utf8',
    highWaterMark: EXPORT_CHUNK_CHARS,
    read: () => tell({ type: 'more' }),
    destroy: (error, done) => {
      if (!settled) tell({ type: 'stop' });
      void worker.terminate().finally(() => done(error));
    },
  });
  worker.on('message', (m: FromExportWorker) => {
    if (m.type === 'chunk') stream.push(m.text);
    else if (m.type === 'seals') sealsAfter(seals, m.after).then(tell, (e: unknown) => stream.destroy(e as Error));
    else {
      settled = true;
      if (m.type === 'end') stream.push(null);
      else stream.destroy(new Error(`the export stopped: ${m.message}`));
    }
  });
  worker.on('error', (e) => stream.destroy(e));
  worker.on('exit', (code) => {
    if (!settled && !stream.destroyed) stream.destroy(new Error(`the export thread exited with code ${code}`));
  });
  // The response's socket keeps the process alive while the export is read; a stream that nobody reads or destroys
  // (a failed test, a bug) must not keep it alive after everything else has stopped. After the listeners: adding a
  // 'message' listener refs the thread's port again.
  worker.unref();
  return stream;
}

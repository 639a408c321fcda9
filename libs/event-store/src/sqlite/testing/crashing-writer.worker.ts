/**
 * Stand-in writer thread for the crash tests: starts like the real one, then dies on the first batch, either with
 * an uncaught exception (`path: 'throw'`) or by exiting (`path: 'exit'`). The mode travels in WriterOptions.path
 * because that is the workerData SqliteWriterClient hands every writer script.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FromWriter, ToWriter, WriterOptions } from '../sqlite-write-protocol';

const port = parentPort!;
const mode = (workerData as WriterOptions).path;
port.on('message', (message: ToWriter) => {
  if (message.type !== 'batch') return;
  if (mode === 'exit') process.exit(3);
  throw new Error('writer thread crashed on purpose');
});
port.postMessage({ type: 'ready' } satisfies FromWriter);

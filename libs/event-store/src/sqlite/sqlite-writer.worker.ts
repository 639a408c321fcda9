/**
 * Writer thread of the SQLite event store: owns the only write connection, so the fsync of every COMMIT blocks this
 * thread instead of the main event loop. Started by SqliteWriterClient; speaks sqlite-write-protocol.ts.
 */
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { SqliteBatchTransaction } from './sqlite-batch-transaction';
import { describeFailure, type FromWriter, type ToWriter, type WriterOptions } from './sqlite-write-protocol';

function openWriter(options: WriterOptions): { db: Db; transaction: SqliteBatchTransaction } {
  const db = new Database(options.path, { timeout: options.busyTimeoutMs });
  try {
    db.pragma('journal_mode = WAL');
    // FULL: COMMIT returns only after the WAL is fsync'd, so an acknowledged append survives power loss.
    db.pragma('synchronous = FULL');
    // Lets deployments add deferred constraints that are checked at COMMIT; our own schema has none.
    db.pragma('foreign_keys = ON');
    return { db, transaction: new SqliteBatchTransaction(db) };
  } catch (e) {
    db.close();
    throw e;
  }
}

function serve(port: MessagePort, options: WriterOptions): void {
  const send = (message: FromWriter): void => port.postMessage(message);
  let writer: ReturnType<typeof openWriter>;
  try {
    writer = openWriter(options);
  } catch (e) {
    send({ type: 'open_failed', failure: describeFailure(e) });
    port.close();
    return;
  }
  port.on('message', (message: ToWriter) => {
    if (message.type === 'close') {
      writer.db.close();
      port.close();
      return;
    }
    try {
      const outcomes = writer.transaction.run(message.appends);
      send({ type: 'committed', batchId: message.batchId, outcomes });
    } catch (e) {
      send({ type: 'batch_failed', batchId: message.batchId, failure: describeFailure(e) });
    }
  });
  send({ type: 'ready' });
}

if (parentPort === null) throw new Error('sqlite-writer.worker must run in a worker thread');
serve(parentPort, workerData as WriterOptions);

import { Supervisor, type RestartPolicy, type SupervisedStatus, type WorkerScript } from '@verdict/config';
import type { ValidatedAppend } from '../append-validation';
import { EventStoreUnavailableError } from '../event-store.errors';
import { SqliteWriterClient, type BatchReply } from './sqlite-writer-client';
import type { WriterOptions } from './sqlite-write-protocol';

/** Component name of the writer thread in liveness and metrics. */
export const SQLITE_WRITER_COMPONENT = 'sqlite-writer';

/**
 * The SQLite writer thread under supervision (Supervisor, libs/config): a thread that dies is started again with
 * backoff and reopens the file; nothing is replayed into it. The batches in flight when it died were already failed
 * by their SqliteWriterClient (outcome unknown), and a commit asked for while it is down fails at once with
 * EventStoreUnavailableError (nothing was sent, nothing written), so no caller waits on a restart. Once the
 * supervisor gives up, `failure` says why and every commit fails with it.
 */
export class SupervisedSqliteWriter {
  private readonly supervisor: Supervisor<SqliteWriterClient>;

  private constructor(options: WriterOptions, script: WorkerScript | undefined, policy: Partial<RestartPolicy> | undefined) {
    this.supervisor = new Supervisor<SqliteWriterClient>(SQLITE_WRITER_COMPONENT, {
      launch: () => SqliteWriterClient.start(options, script, (client, error) => this.supervisor.crashed(client, error)),
      close: (client) => client.close(),
      policy,
    });
  }

  /** Starts the first writer thread; rejects (EventStoreUnavailableError) if it cannot open the file. */
  static async start(options: WriterOptions, script?: WorkerScript, policy?: Partial<RestartPolicy>): Promise<SupervisedSqliteWriter> {
    const writer = new SupervisedSqliteWriter(options, script, policy);
    await writer.supervisor.start();
    return writer;
  }

  /** Why nothing can commit any more (the thread could not be brought back), else undefined. */
  get failure(): EventStoreUnavailableError | undefined {
    const failure = this.supervisor.failure;
    if (failure === undefined) return undefined;
    return failure instanceof EventStoreUnavailableError
      ? failure
      : new EventStoreUnavailableError(`SQLite writer thread cannot be restarted: ${failure.message}`, { cause: failure });
  }

  /** Why commits fail right now (down, restarting or given up), else undefined. */
  get unavailable(): EventStoreUnavailableError | undefined {
    if (this.supervisor.current !== undefined) return undefined;
    const status = this.supervisor.status();
    if (status.state === 'failed') return this.failure;
    return new EventStoreUnavailableError(`The SQLite writer thread is ${status.state}${status.lastError ? ` after: ${status.lastError}` : ''}`);
  }

  status(): SupervisedStatus {
    return this.supervisor.status();
  }

  commit(appends: readonly ValidatedAppend[]): Promise<BatchReply> {
    const client = this.supervisor.current;
    if (client === undefined) return Promise.reject(this.unavailable);
    return client.commit(appends);
  }

  /** Fault-injection seam for tests: ends the current writer thread as a crash would (see SqliteWriterClient). */
  async terminateThread(): Promise<void> {
    await this.supervisor.current?.terminate();
  }

  /** Closes the write connection of the running life; no restart after this. */
  close(): Promise<void> {
    return this.supervisor.stop();
  }
}

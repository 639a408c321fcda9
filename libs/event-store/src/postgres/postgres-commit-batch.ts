import type { Pool, PoolClient } from 'pg';
import { AppendOutcomeUnknownError } from '../event-store.errors';
import type { AppendResult } from '../event-store.port';
import { toAppendResult, type AppendOutcomeRow, type AppendRequest } from './postgres-append-request';
import type { PostgresEventStoreOptions } from './postgres-event-store';
import { toUnavailable } from './postgres-unavailable';

/**
 * One group-commit transaction on the PostgreSQL event store: every append checked individually by `append_batch`, every
 * caller settled only after COMMIT. A connection lost after COMMIT was sent makes the outcome unknown; any other failure
 * is a definite ROLLBACK (EventStoreUnavailableError).
 */
export async function commitAppendBatch(
  pool: Pool,
  /** The quoted schema name. */
  s: string,
  batch: readonly AppendRequest[],
  beforeCommit?: PostgresEventStoreOptions['beforeCommit'],
): Promise<ReadonlyArray<AppendResult | Error>> {
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (e) {
    throw toUnavailable(e, 'connect');
  }
  // A connection lost while we hold it checked out is emitted as 'error' on the client; the pending or next query
  // fails with it too, which is where we report it. Without a listener the process would crash.
  let lost: Error | undefined;
  const onError = (e: Error): void => {
    lost = e;
  };
  client.on('error', onError);
  let broken: Error | undefined;
  let awaitingCommit = false;
  try {
    await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
    const payload = `[${batch.map((r) => r.json).join(',')}]`;
    const res = await client.query<AppendOutcomeRow>(
      `SELECT out_index, out_status, out_revision, out_position FROM ${s}.append_batch($1::jsonb)`,
      [payload],
    );
    if (beforeCommit) {
      const pid = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await beforeCommit({ backendPid: pid.rows[0].pid, size: batch.length });
    }
    if (lost !== undefined) throw lost; // gone before COMMIT was sent: nothing was committed
    awaitingCommit = true;
    const commit = await client.query('COMMIT');
    awaitingCommit = false;
    // PostgreSQL answers COMMIT of an aborted transaction with ROLLBACK rather than an error.
    if (commit.command !== 'COMMIT') throw new Error(`COMMIT answered ${commit.command}`);
    const byIndex = new Map(res.rows.map((row) => [row.out_index, row]));
    return batch.map((request, i) => toAppendResult(request, byIndex.get(i)));
  } catch (e) {
    broken = lost ?? (e instanceof Error ? e : new Error(String(e)));
    await client.query('ROLLBACK').catch(() => undefined); // the failure below is what callers need to see
    // COMMIT went out and the connection was lost before its answer: the server may have committed.
    if (awaitingCommit && connectionLost(e, lost)) {
      throw new AppendOutcomeUnknownError(
        `PostgreSQL event store: the connection was lost after COMMIT of a batch of ${batch.length} was sent; it may or may not have been recorded: ${broken.message}`,
        { cause: e },
      );
    }
    throw toUnavailable(e, `append batch of ${batch.length}`);
  } finally {
    client.off('error', onError);
    // Discard the connection after any failure: its session state is unknown.
    client.release(broken ?? lost);
  }
}

/**
 * The connection failed rather than the statement: no SQLSTATE (socket closed, timeout), a connection exception
 * (class 08) or the server ending the session (57P01-57P03). A statement error (constraint, serialization, ...)
 * is a definite ROLLBACK.
 */
function connectionLost(error: unknown, lost: Error | undefined): boolean {
  if (lost !== undefined) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code) || code.startsWith('08') || /^57P0[123]$/.test(code);
}

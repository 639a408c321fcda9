import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { percentile } from '@verdict/domain';
import { openDriver, type DriverName } from './sqlite-driver';

export type Synchronous = 'FULL' | 'NORMAL';

export interface WorkloadOptions {
  readonly driver: DriverName;
  readonly path: string;
  readonly synchronous: Synchronous;
  /** Appends per transaction (one COMMIT, one fsync with FULL). */
  readonly batchSize: number;
  readonly commits: number;
}

export interface WorkloadResult {
  readonly driver: DriverName;
  readonly sqliteVersion: string;
  readonly synchronous: Synchronous;
  /** What `PRAGMA synchronous` reads back: 2 is FULL, 1 is NORMAL. */
  readonly synchronousReadBack: number;
  readonly journalMode: string;
  readonly batchSize: number;
  readonly commits: number;
  readonly seconds: number;
  readonly appendsPerSecond: number;
  readonly commitsPerSecond: number;
  /** Per-COMMIT latency percentiles in ms. */
  readonly commitMs: { readonly p50: number; readonly p99: number };
}

/** A decision-sized payload (~2 KB of JSON), as the engine appends. */
const PAYLOAD = JSON.stringify({ request: { note: 'x'.repeat(1200) }, features: Array.from({ length: 19 }, (_, i) => i / 7), score: 0.1 });

const ms = (p: number, values: number[]): number => Math.round((percentile(values, p) ?? 0) * 1000) / 1000;

/**
 * The SQLite event store's writer loop, on either binding: per batch BEGIN IMMEDIATE, then per append the stream's
 * last revision, a SAVEPOINT, the INSERT and RELEASE, then one COMMIT. The events table of sqlite-schema.ts's version 1.
 */
export function runGroupCommitWorkload(options: WorkloadOptions): WorkloadResult {
  const db = openDriver(options.driver, options.path);
  try {
    db.pragma('journal_mode = WAL');
    db.exec(`PRAGMA synchronous = ${options.synchronous}`);
    db.exec(`CREATE TABLE IF NOT EXISTS events (
      position INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL, stream_id TEXT NOT NULL,
      revision INTEGER NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL,
      recorded_at INTEGER NOT NULL, CONSTRAINT events_event_id_unique UNIQUE (event_id),
      CONSTRAINT events_stream_revision_unique UNIQUE (stream_id, revision))`);
    const lastRevision = db.prepare('SELECT MAX(revision) AS rev FROM events WHERE stream_id = ?');
    const insert = db.prepare(
      'INSERT INTO events (event_id, stream_id, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const commitMs: number[] = [];
    const start = performance.now();
    for (let c = 0; c < options.commits; c++) {
      db.exec('BEGIN IMMEDIATE');
      for (let a = 0; a < options.batchSize; a++) {
        const stream = `decision-${c}-${a}`;
        const rev = lastRevision.get(stream)?.rev as bigint | null;
        db.exec('SAVEPOINT append');
        insert.run(randomUUID(), stream, rev === null ? 0n : rev + 1n, 'DecisionMade', PAYLOAD, '{}', Date.now());
        db.exec('RELEASE append');
      }
      const t = performance.now();
      db.exec('COMMIT');
      commitMs.push(performance.now() - t);
    }
    const seconds = (performance.now() - start) / 1000;
    return {
      driver: options.driver,
      sqliteVersion: db.sqliteVersion,
      synchronous: options.synchronous,
      synchronousReadBack: Number(db.pragma('synchronous')),
      journalMode: String(db.pragma('journal_mode')),
      batchSize: options.batchSize,
      commits: options.commits,
      seconds: Math.round(seconds * 1000) / 1000,
      appendsPerSecond: Math.round((options.commits * options.batchSize) / seconds),
      commitsPerSecond: Math.round(options.commits / seconds),
      commitMs: { p50: ms(0.5, commitMs), p99: ms(0.99, commitMs) },
    };
  } finally {
    db.close();
  }
}

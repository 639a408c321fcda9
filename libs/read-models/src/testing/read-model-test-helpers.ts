import { createSqliteEventStore, type SqliteEventStore } from '@verdict/event-store/sqlite/sqlite-event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { ProjectionCheckpoint } from '../entities/projection-checkpoint.entity';
import { DecisionQueries } from '../queries/decision-queries';
import type { DecisionSummary } from '../queries/decision-summary';
import { dialectOf, param, tableOf, timestampValue } from '../sql-dialect';
import type { DecisionMadeFixture } from './decision-made.fixture';

/** A real SQLite event store in its own tmp dir. */
export async function openTestEventStore(): Promise<{ store: SqliteEventStore; path: string; dispose(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'verdict-es-'));
  const file = path.join(dir, 'events.sqlite');
  const store = await createSqliteEventStore({ path: file, pollIntervalMs: 20 });
  return {
    store,
    path: file,
    async dispose() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Appends `count` DecisionMade events (one stream each); returns the position of the last one. */
export async function appendDecisions(store: SqliteEventStore, fixture: DecisionMadeFixture, count: number): Promise<bigint> {
  let position = 0n;
  for (let i = 0; i < count; i++) {
    const { streamId, event } = fixture.event();
    position = (await store.appendToStream(streamId, [event], { expectedRevision: 'no_stream' })).position;
  }
  return position;
}

/** Every row of decision_history, oldest first, through the public query API. */
export async function allDecisions(dataSource: DataSource): Promise<DecisionSummary[]> {
  const queries = new DecisionQueries(dataSource);
  const items: DecisionSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await queries.list({ limit: 500, cursor });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items.reverse();
}

export async function storedCheckpoint(
  dataSource: DataSource,
  name: string,
): Promise<{ position: bigint; updatedAt: Date } | null> {
  const rows: Array<{ position: string; updated_at: unknown }> = await dataSource.query(
    `SELECT CAST("position" AS TEXT) AS "position", "updated_at" FROM ${tableOf(dataSource.manager, ProjectionCheckpoint)}
     WHERE "name" = ${param(dialectOf(dataSource), 1)}`,
    [name],
  );
  return rows.length === 0 ? null : { position: BigInt(rows[0].position), updatedAt: timestampValue(rows[0].updated_at) };
}

/** Polls until `check` holds; fails naming `what` after `timeoutMs`. */
export async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Names of the non-unique indexes on the read model's tables, sorted (what a rebuild defers). */
export async function secondaryIndexNames(model: { kind: 'sqlite' | 'postgres'; dataSource: DataSource; config: { schema?: string } }): Promise<string[]> {
  const rows: { name: string }[] =
    model.kind === 'postgres'
      ? await model.dataSource.query(
          `SELECT i.relname AS "name" FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
             JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = $1 AND NOT x.indisunique`,
          [model.config.schema],
        )
      : await model.dataSource.query(
          `SELECT m.name AS "name" FROM sqlite_master m JOIN pragma_index_list(m.tbl_name) l ON l.name = m.name WHERE m.type = 'index' AND l."unique" = 0`,
        );
  return rows.map((r) => r.name).sort();
}

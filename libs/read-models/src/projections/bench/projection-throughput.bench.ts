import type { SqliteEventStore } from '@verdict/event-store/sqlite/sqlite-event-store';
import type { DataSource } from 'typeorm';
import { DecisionMadeFixture } from '../../testing/decision-made.fixture';
import { openTestEventStore } from '../../testing/read-model-test-helpers';
import { postgresTarget, probeTestPostgres, sqliteTarget, type ReadModelTestTarget } from '../../testing/read-model-test-targets';
import { DecisionHistoryProjection } from '../decision-history.projection';
import { ProjectionRunner } from '../projection-runner';

/**
 * Measurement, not a test: events/s of the decision-history projection (a) catching up on EVENTS stored events and
 * (b) following live while EVENTS single-event appends run CONCURRENCY at a time in the same process (as in the
 * engine). "loop ms/1k events" is the time spent inside read-model transactions, i.e. on the shared event loop.
 * Run: npx jest --testMatch '**' 'libs/read-models/src/projections/bench/'
 */
const EVENTS = 20_000;
const CONCURRENCY = 64;

async function fill(store: SqliteEventStore, fixture: DecisionMadeFixture, count: number, concurrency: number): Promise<bigint> {
  let remaining = count;
  let last = 0n;
  const worker = async () => {
    while (remaining > 0) {
      remaining -= 1;
      const { streamId, event } = fixture.event();
      const { position } = await store.appendToStream(streamId, [event], { expectedRevision: 'no_stream' });
      if (position > last) last = position;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return last;
}

/** Counts read-model transactions and the time spent inside them. */
function meter(dataSource: DataSource): { transactions: number; busyMs: number } {
  const stats = { transactions: 0, busyMs: 0 };
  const original = dataSource.transaction.bind(dataSource) as (...args: unknown[]) => Promise<unknown>;
  (dataSource as unknown as { transaction: unknown }).transaction = async (...args: unknown[]) => {
    const started = performance.now();
    stats.transactions += 1;
    try {
      return await original(...args);
    } finally {
      stats.busyMs += performance.now() - started;
    }
  };
  return stats;
}

function line(label: string, events: number, seconds: number, stats: { transactions: number; busyMs: number }): string {
  return `${label}: ${Math.round(events / seconds)} events/s, ${stats.transactions} transactions (${(
    events / Math.max(1, stats.transactions)
  ).toFixed(1)} events each), ${((stats.busyMs / events) * 1000).toFixed(1)} ms in transactions per 1k events`;
}

async function catchUp(target: ReadModelTestTarget): Promise<string> {
  const es = await openTestEventStore();
  const model = await target.open();
  try {
    const last = await fill(es.store, new DecisionMadeFixture('cu'), EVENTS, 256);
    const stats = meter(model.dataSource);
    const runner = new ProjectionRunner({ dataSource: model.dataSource, eventStore: es.store, projection: new DecisionHistoryProjection() });
    const started = performance.now();
    await runner.start();
    await runner.waitForPosition(last, 600_000);
    const seconds = (performance.now() - started) / 1000;
    await runner.stop();
    return line(`${target.kind} catch-up`, EVENTS, seconds, stats);
  } finally {
    await model.dispose();
    await es.dispose();
  }
}

async function live(target: ReadModelTestTarget): Promise<string> {
  const es = await openTestEventStore();
  const model = await target.open();
  try {
    const stats = meter(model.dataSource);
    const runner = new ProjectionRunner({ dataSource: model.dataSource, eventStore: es.store, projection: new DecisionHistoryProjection() });
    await runner.start();
    const started = performance.now();
    const last = await fill(es.store, new DecisionMadeFixture('lv'), EVENTS, CONCURRENCY);
    const appendSeconds = (performance.now() - started) / 1000;
    await runner.waitForPosition(last, 600_000);
    const seconds = (performance.now() - started) / 1000;
    await runner.stop();
    return `${line(`${target.kind} live`, EVENTS, seconds, stats)}; appends ${Math.round(EVENTS / appendSeconds)}/s`;
  } finally {
    await model.dispose();
    await es.dispose();
  }
}

/** Live at a fixed rate (about the engine's load): batch sizes and loop time when events trickle in. */
async function paced(target: ReadModelTestTarget, perSecond: number, count: number, minBatchIntervalMs?: number): Promise<string> {
  const es = await openTestEventStore();
  const model = await target.open();
  try {
    const stats = meter(model.dataSource);
    const runner = new ProjectionRunner({
      dataSource: model.dataSource,
      eventStore: es.store,
      projection: new DecisionHistoryProjection(),
      minBatchIntervalMs,
    });
    await runner.start();
    const fixture = new DecisionMadeFixture('pc');
    const started = performance.now();
    const appends: Array<Promise<{ position: bigint }>> = [];
    while (appends.length < count) {
      const due = Math.min(count, Math.floor(((performance.now() - started) / 1000) * perSecond));
      while (appends.length < due) {
        const { streamId, event } = fixture.event();
        appends.push(es.store.appendToStream(streamId, [event], { expectedRevision: 'no_stream' }));
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const positions = await Promise.all(appends);
    const last = positions.reduce((max, r) => (r.position > max ? r.position : max), 0n);
    await runner.waitForPosition(last, 600_000);
    await runner.stop();
    return line(`${target.kind} paced ${perSecond}/s, interval ${minBatchIntervalMs ?? 'default'}`, count, (performance.now() - started) / 1000, stats);
  } finally {
    await model.dispose();
    await es.dispose();
  }
}

/** Appends alone, same load as live(): the baseline the live run's cost adds to. */
async function appendsOnly(): Promise<string> {
  const es = await openTestEventStore();
  try {
    const started = performance.now();
    await fill(es.store, new DecisionMadeFixture('ao'), EVENTS, CONCURRENCY);
    return `appends alone: ${Math.round(EVENTS / ((performance.now() - started) / 1000))}/s`;
  } finally {
    await es.dispose();
  }
}

describe('projection throughput (measurement)', () => {
  it('reports events/s', async () => {
    const targets: ReadModelTestTarget[] = probeTestPostgres().available ? [sqliteTarget, postgresTarget] : [sqliteTarget];
    const lines = [await appendsOnly()];
    for (const target of targets) {
      lines.push(await catchUp(target));
      lines.push(await live(target));
      lines.push(await paced(target, 1000, 5000, 0));
      lines.push(await paced(target, 1000, 5000));
    }
    process.stdout.write(`\n${lines.join('\n')}\n`);
  }, 900_000);
});

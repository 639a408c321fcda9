import type { RecordedEvent } from '@verdict/event-store/event-store.port';
import type { SqliteEventStore } from '@verdict/event-store/sqlite/sqlite-event-store';
import type { EntityManager } from 'typeorm';
import {
  CheckpointConflictError,
  ProjectionFailedError,
  ProjectionStoppedError,
  ProjectionWaitTimeoutError,
  UnsupportedEventSchemaError,
} from '../read-model.errors';
import { failCheckpointWritesFrom, healCheckpointWrites, INJECTED_CHECKPOINT_FAILURE } from '../testing/checkpoint-failure';
import { DecisionMadeFixture } from '../testing/decision-made.fixture';
import { duplicatingEventStore } from '../testing/duplicating-event-store';
import {
  allDecisions,
  appendDecisions,
  eventually,
  openTestEventStore,
  storedCheckpoint,
} from '../testing/read-model-test-helpers';
import { readModelTestTargets, type TestReadModel } from '../testing/read-model-test-targets';
import { applyProjectionBatch } from './apply-projection-batch';
import { DecisionHistoryProjection } from './decision-history.projection';
import type { Projection } from './projection';
import { ProjectionRunner, type ProjectionLogger } from './projection-runner';

const NAME = DecisionHistoryProjection.NAME;

/** Positions of the rows in decision_history, oldest first. */
const positions = async (model: TestReadModel): Promise<bigint[]> =>
  (await allDecisions(model.dataSource)).map((d) => BigInt(d.position));

const upTo = (last: bigint): bigint[] => Array.from({ length: Number(last) }, (_, i) => BigInt(i + 1));

/** The real projection, then a failure once a batch reaches `failFrom` (a "later handler" of the same batch). */
function failingAfterWrite(failFrom: bigint): Projection {
  const inner = new DecisionHistoryProjection();
  return {
    name: inner.name,
    version: inner.version,
    canHandle: inner.canHandle,
    truncate: (manager: EntityManager) => inner.truncate(manager),
    async handle(events: readonly RecordedEvent[], manager: EntityManager) {
      await inner.handle(events, manager);
      if (events.some((e) => e.position >= failFrom)) throw new Error('injected handler failure');
    },
  };
}

function recordingLogger(): ProjectionLogger & { errors: Array<{ obj: object; msg: string }> } {
  const errors: Array<{ obj: object; msg: string }> = [];
  return { errors, info: () => undefined, error: (obj, msg) => errors.push({ obj, msg }) };
}

describe.each(readModelTestTargets())('projection runner with $kind read models', (target) => {
  let model: TestReadModel;
  let store: SqliteEventStore;
  let disposeStore: () => Promise<void>;
  let fixture: DecisionMadeFixture;
  const runners: ProjectionRunner[] = [];

  const runner = (options: Partial<ConstructorParameters<typeof ProjectionRunner>[0]> = {}): ProjectionRunner => {
    const r = new ProjectionRunner({
      dataSource: model.dataSource,
      eventStore: store,
      projection: new DecisionHistoryProjection(),
      batchSize: 10,
      ...options,
    });
    runners.push(r);
    return r;
  };

  beforeEach(async () => {
    model = await target.open();
    ({ store, dispose: disposeStore } = await openTestEventStore());
    fixture = new DecisionMadeFixture();
  });

  afterEach(async () => {
    for (const r of runners.splice(0)) await r.stop();
    await disposeStore();
    await model.dispose();
  });

  it('catches up from the start, then follows live appends (read-your-writes via waitForPosition)', async () => {
    const head = await appendDecisions(store, fixture, 25);
    const r = runner();
    await Promise.all([r.start(), r.start()]);
    await r.waitForPosition(head, 20_000);
    expect(await positions(model)).toEqual(upTo(head));

    const { streamId, event, data } = fixture.event();
    const appended = await store.appendToStream(streamId, [event], { expectedRevision: 'no_stream' });
    await r.waitForPosition(appended.position, 20_000);
    const location = await import('../queries/decision-queries').then((m) => new m.DecisionQueries(model.dataSource).findLocation(data.decisionId));
    expect(location).toEqual({ decisionId: data.decisionId, transactionId: data.transactionId, streamId, position: appended.position });

    const status = r.status();
    expect(status).toMatchObject({ name: NAME, checkpoint: appended.position, running: true });
    expect(status.lastError).toBeUndefined();
    expect(status.lastAppliedAt).toBeInstanceOf(Date);
    expect((await storedCheckpoint(model.dataSource, NAME))?.position).toBe(appended.position);
  });

  it('resumes after a restart from its checkpoint without duplicates', async () => {
    const first = await appendDecisions(store, fixture, 12);
    const r1 = runner();
    await r1.start();
    await r1.waitForPosition(first, 20_000);
    await r1.stop();
    expect(r1.status().running).toBe(false);

    const head = await appendDecisions(store, fixture, 17);
    await model.restart();
    const r2 = runner({ dataSource: model.dataSource });
    await r2.start();
    expect(r2.status().checkpoint).toBe(first);
    await r2.waitForPosition(head, 20_000);
    expect(await positions(model)).toEqual(upTo(head));
  });

  it('ignores redelivered events: the same rows and checkpoint as a single delivery', async () => {
    const head = await appendDecisions(store, fixture, 23);
    const r = runner({ eventStore: duplicatingEventStore(store, 4), batchSize: 3 });
    await r.start();
    await r.waitForPosition(head, 20_000);
    await r.stop();
    expect(r.status().lastError).toBeUndefined();
    expect(await positions(model)).toEqual(upTo(head));
    expect((await storedCheckpoint(model.dataSource, NAME))?.position).toBe(head);
  });

  it('applies the same batch twice as once: same rows, checkpoint untouched', async () => {
    const projection = new DecisionHistoryProjection();
    const batch = [1n, 2n, 3n, 5n, 8n].map((p) => fixture.recorded(p));
    expect(await applyProjectionBatch(model.dataSource, projection, batch, 0n)).toEqual({ checkpoint: 8n, applied: 5 });
    const rows = await allDecisions(model.dataSource);
    const checkpoint = await storedCheckpoint(model.dataSource, NAME);

    expect(await applyProjectionBatch(model.dataSource, projection, batch, 8n)).toEqual({ checkpoint: 8n, applied: 0 });
    expect(await allDecisions(model.dataSource)).toEqual(rows);
    expect(await storedCheckpoint(model.dataSource, NAME)).toEqual(checkpoint);

    // Overlapping redelivery: only the new tail is applied.
    const overlap = [...batch.slice(3), fixture.recorded(13n)];
    expect(await applyProjectionBatch(model.dataSource, projection, overlap, 8n)).toEqual({ checkpoint: 13n, applied: 1 });
    expect(await positions(model)).toEqual([1n, 2n, 3n, 5n, 8n, 13n]);
  });

  it('a failing checkpoint write rolls the whole batch back; a restart re-applies it exactly once', async () => {
    const head = await appendDecisions(store, fixture, 30);
    await failCheckpointWritesFrom(model.dataSource, 15n);
    const logger = recordingLogger();
    const errors: Error[] = [];
    const r = runner({ logger, onError: (e) => errors.push(e) });
    await r.start();
    await expect(r.waitForPosition(head, 20_000)).rejects.toBeInstanceOf(ProjectionFailedError);

    const status = r.status();
    expect(status.running).toBe(false);
    expect(status.lastError?.message).toContain(INJECTED_CHECKPOINT_FAILURE);
    expect(errors).toEqual([status.lastError]);
    expect(logger.errors).toHaveLength(1);
    expect(status.checkpoint).toBeLessThan(15n);
    // Nothing of the failed batch is visible: the rows are exactly those up to the committed checkpoint.
    expect(await positions(model)).toEqual(upTo(status.checkpoint));
    expect((await storedCheckpoint(model.dataSource, NAME))?.position).toBe(status.checkpoint);

    await healCheckpointWrites(model.dataSource);
    await r.start();
    await r.waitForPosition(head, 20_000);
    expect(await positions(model)).toEqual(upTo(head));
  });

  it('a handler failing after writing rolls the batch back; restarting with a sound handler applies it once', async () => {
    const head = await appendDecisions(store, fixture, 30);
    const broken = runner({ projection: failingAfterWrite(15n) });
    await broken.start();
    await eventually('the runner to fail', () => broken.status().lastError !== undefined);
    const checkpoint = broken.status().checkpoint;
    expect(broken.status().lastError?.message).toBe('injected handler failure');
    expect(checkpoint).toBeLessThan(15n);
    expect(await positions(model)).toEqual(upTo(checkpoint));

    await model.restart();
    const sound = runner({ dataSource: model.dataSource });
    await sound.start();
    await sound.waitForPosition(head, 20_000);
    expect(await positions(model)).toEqual(upTo(head));
  });

  it('stops on an event schema it cannot read instead of skipping it', async () => {
    await appendDecisions(store, fixture, 3);
    const { streamId, event } = fixture.event({ schemaVersion: 99 });
    await store.appendToStream(streamId, [event], { expectedRevision: 'no_stream' });
    await appendDecisions(store, fixture, 2);
    const r = runner({ batchSize: 1 });
    await r.start();
    await eventually('the runner to fail', () => r.status().lastError !== undefined);
    expect(r.status().lastError).toBeInstanceOf(UnsupportedEventSchemaError);
    expect(r.status().checkpoint).toBe(3n);
    await expect(r.waitForPosition(4n, 1000)).rejects.toBeInstanceOf(ProjectionFailedError);
  });

  it('stops with CheckpointConflictError when the checkpoint moves under it (second writer or reset)', async () => {
    const head = await appendDecisions(store, fixture, 5);
    const r = runner();
    await r.start();
    await r.waitForPosition(head, 20_000);
    await model.dataSource.query(`DELETE FROM ${model.config.schema ? `"${model.config.schema}".` : ''}"projection_checkpoint"`);
    await appendDecisions(store, fixture, 1);
    await eventually('the runner to fail', () => r.status().lastError !== undefined);
    expect(r.status().lastError).toBeInstanceOf(CheckpointConflictError);
  });

  it('waitForPosition times out with a typed error and rejects when the runner stops', async () => {
    const r = runner();
    await r.start();
    await expect(r.waitForPosition(99n, 50)).rejects.toBeInstanceOf(ProjectionWaitTimeoutError);
    const waiting = r.waitForPosition(99n, 60_000);
    await r.stop();
    await expect(waiting).rejects.toBeInstanceOf(ProjectionStoppedError);
    await expect(r.waitForPosition(0n, 10)).resolves.toBeUndefined();
  });
});

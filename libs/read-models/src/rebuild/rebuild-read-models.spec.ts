import { randomUUID } from 'node:crypto';
import type { SqliteEventStore } from '@verdict/event-store/sqlite/sqlite-event-store';
import { ReadModelProjections } from '../projections/read-model-projections';
import { ProjectionRunner } from '../projections/projection-runner';
import { CheckpointConflictError } from '../read-model.errors';
import { ERASED } from '@verdict/domain/privacy/personal-fields';
import type { EventData } from '@verdict/event-store/event-store.port';
import { DecisionMadeFixture, subjectErasedEvent } from '../testing/decision-made.fixture';
import { allDecisions, appendDecisions, openTestEventStore, secondaryIndexNames, storedCheckpoint } from '../testing/read-model-test-helpers';
import { readModelTestTargets, type TestReadModel } from '../testing/read-model-test-targets';
import { rebuildReadModels } from './rebuild-read-models';

const NAME = ReadModelProjections.NAME;

describe.each(readModelTestTargets())('rebuildReadModels on $kind', (target) => {
  let model: TestReadModel;
  let store: SqliteEventStore;
  let storePath: string;
  let disposeStore: () => Promise<void>;
  let fixture: DecisionMadeFixture;

  /** Decisions interleaved with events the projection must not read (other types, a look-alike type name). */
  async function seedLog(rounds: number): Promise<bigint> {
    let head = 0n;
    for (let i = 0; i < rounds; i++) {
      await appendDecisions(store, fixture, 3);
      await store.appendToStream(`other-${i}`, [{ id: randomUUID(), type: 'CardBlocked', data: { i } }], { expectedRevision: 'any' });
      head = (
        await store.appendToStream(`audit-${i}`, [{ id: randomUUID(), type: 'DecisionMadeAudited', data: { i } }], {
          expectedRevision: 'any',
        })
      ).position;
    }
    return head;
  }

  beforeEach(async () => {
    model = await target.open();
    ({ store, path: storePath, dispose: disposeStore } = await openTestEventStore());
    fixture = new DecisionMadeFixture();
  });
  afterEach(async () => {
    await disposeStore();
    await model.dispose();
  });

  it.each([
    ['on this thread', false],
    ['prepared on a worker thread', true],
  ])('replays the whole log into exactly the rows the live projection built (%s)', async (_how, onWorker) => {
    await seedLog(15);
    const lastDecision = await appendDecisions(store, fixture, 4);
    const runner = new ProjectionRunner({ dataSource: model.dataSource, eventStore: store, projection: new ReadModelProjections(), batchSize: 8 });
    await runner.start();
    await runner.waitForPosition(lastDecision, 20_000);
    await runner.stop();
    const live = await allDecisions(model.dataSource);
    expect(live).toHaveLength(49);
    const liveCheckpoint = (await storedCheckpoint(model.dataSource, NAME))?.position;

    const indexesBefore = await secondaryIndexNames(model);
    expect(indexesBefore).toContain('ix_decision_history_card');
    // Damage the read model: a rebuild must not depend on what is there.
    await model.dataSource.query(`DELETE FROM ${model.config.schema ? `"${model.config.schema}".` : ''}"decision_history" WHERE "card_id" = 'card-1'`);

    const progress: bigint[] = [];
    const result = await rebuildReadModels({
      dataSource: model.dataSource,
      eventStore: store,
      batchSize: 5,
      ...(onWorker ? { worker: { store: { kind: 'sqlite' as const, url: storePath } } } : {}),
      onProgress: (p) => {
        progress.push(p.checkpoint);
      },
    });
    expect(result).toEqual([{ name: NAME, events: 49, checkpoint: lastDecision }]);
    // 49 decisions + 15 look-alike types the store filter lets through (dropped by the exact type check) = 13 pages.
    expect(progress.length).toBe(13);
    expect(await secondaryIndexNames(model)).toEqual(indexesBefore);
    expect(await allDecisions(model.dataSource)).toEqual(live);
    expect((await storedCheckpoint(model.dataSource, NAME))?.position).toBe(liveCheckpoint);

    // A runner started afterwards continues from the rebuilt checkpoint.
    const after = new ProjectionRunner({ dataSource: model.dataSource, eventStore: store, projection: new ReadModelProjections() });
    await after.start();
    const head = await appendDecisions(store, fixture, 2);
    await after.waitForPosition(head, 20_000);
    await after.stop();
    expect(await allDecisions(model.dataSource)).toHaveLength(51);
  });

  it.each([
    ['on this thread', false],
    ['prepared on a worker thread', true],
  ])('replays a log with an erasure into rows blanked as the live projection left them (%s)', async (_how, onWorker) => {
    const append = async (streamId: string, event: EventData) => (await store.appendToStream(streamId, [event], { expectedRevision: 'any' })).position;
    const ofSubject = (s: string, keyId?: string) => fixture.event({ request: { cardId: `ps_card-${s}`, customerId: `ps_cust-${s}` }, subject: { ref: `ps_subject-${s}`, keyId } });
    for (const s of ['s', 't', 's']) {
      const { streamId, event } = ofSubject(s);
      await append(streamId, event);
    }
    const erased = subjectErasedEvent('ps_subject-s', { cardId: ['ps_card-s'], customerId: ['ps_cust-s'] });
    await append(erased.streamId, erased.event);
    // Made by an instance that had not seen the erasure yet: sealed under the destroyed key, logged after it.
    const late = ofSubject('s');
    await append(late.streamId, late.event);
    const back = ofSubject('s', 'k-2');
    const head = await append(back.streamId, back.event);

    const runner = new ProjectionRunner({ dataSource: model.dataSource, eventStore: store, projection: new ReadModelProjections(), batchSize: 2 });
    await runner.start();
    await runner.waitForPosition(head, 20_000);
    await runner.stop();
    const live = await allDecisions(model.dataSource);
    expect(live.map((d) => [d.cardId, d.customerId])).toEqual([
      [ERASED, ERASED],
      ['ps_card-t', 'ps_cust-t'],
      [ERASED, ERASED],
      [ERASED, ERASED],
      ['ps_card-s', 'ps_cust-s'],
    ]);

    await rebuildReadModels({
      dataSource: model.dataSource,
      eventStore: store,
      batchSize: 3,
      ...(onWorker ? { worker: { store: { kind: 'sqlite' as const, url: storePath } } } : {}),
    });
    expect(await allDecisions(model.dataSource)).toEqual(live);
  });

  it('empties the read models on an empty log', async () => {
    await appendDecisions(store, fixture, 3);
    const runner = new ProjectionRunner({ dataSource: model.dataSource, eventStore: store, projection: new ReadModelProjections() });
    await runner.start();
    await runner.waitForPosition(3n, 20_000);
    await runner.stop();

    const { store: empty, dispose } = await openTestEventStore();
    try {
      expect(await rebuildReadModels({ dataSource: model.dataSource, eventStore: empty })).toEqual([{ name: NAME, events: 0, checkpoint: 0n }]);
    } finally {
      await dispose();
    }
    expect(await allDecisions(model.dataSource)).toEqual([]);
    expect(await storedCheckpoint(model.dataSource, NAME)).toBeNull();
  });

  it('stops a runner that is live during the rebuild rather than mixing histories', async () => {
    const head = await appendDecisions(store, fixture, 6);
    const runner = new ProjectionRunner({ dataSource: model.dataSource, eventStore: store, projection: new ReadModelProjections() });
    await runner.start();
    await runner.waitForPosition(head, 20_000);
    let appended = false;
    await rebuildReadModels({
      dataSource: model.dataSource,
      eventStore: store,
      batchSize: 2,
      onProgress: async () => {
        if (appended) return;
        appended = true;
        // The live runner now meets a checkpoint (2) that is not where it left it (6).
        await appendDecisions(store, fixture, 1);
        await expect(runner.waitForPosition(head + 1n, 20_000)).rejects.toMatchObject({ cause: expect.any(CheckpointConflictError) });
      },
    });
    expect(runner.status()).toMatchObject({ running: false, checkpoint: head, lastError: expect.any(CheckpointConflictError) });
    await runner.stop();
    expect(await allDecisions(model.dataSource)).toHaveLength(7);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DECISION_MADE, decisionStreamId } from '@verdict/domain';
import { createEventStore, NO_STREAM, type EventStore, type EventStoreSelection } from '@verdict/event-store';
import { probeTestDatabase, TEST_PG_URL, TestSchemas } from '../../libs/event-store/src/postgres/testing/postgres-test-database';
import { checkDurability, decisionStreamsOf } from './durability-check';

/** Three decisions and an event of another type, which must not be counted. */
async function seed(store: EventStore): Promise<void> {
  try {
    for (const tx of ['t-1', 't-2', 't-3']) {
      await store.appendToStream(decisionStreamId(tx), [{ id: crypto.randomUUID(), type: DECISION_MADE, data: { transactionId: tx } }], {
        expectedRevision: NO_STREAM,
      });
    }
    await store.appendToStream('other-1', [{ id: crypto.randomUUID(), type: 'SomethingElse', data: {} }], { expectedRevision: NO_STREAM });
  } finally {
    await store.close();
  }
}

/** `n` decisions, one append each. */
function decisions(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    streamId: decisionStreamId(`p-${i}`),
    events: [{ id: crypto.randomUUID(), type: DECISION_MADE, data: { transactionId: `p-${i}` } }],
    options: { expectedRevision: NO_STREAM },
  }));
}

describe('checkDurability', () => {
  let dir: string;
  let streams: string[];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'verdict-durability-'));
    const selection: EventStoreSelection = { kind: 'sqlite', url: path.join(dir, 'events.sqlite') };
    await seed(await createEventStore(selection));
    streams = await decisionStreamsOf(selection);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the stream of every DecisionMade event, and no other', () => {
    expect(streams.sort()).toEqual(['t-1', 't-2', 't-3'].map(decisionStreamId));
  });

  it('reads past a page (5,000 events) without skipping or repeating one', async () => {
    const selection: EventStoreSelection = { kind: 'sqlite', url: path.join(dir, 'pages.sqlite') };
    const store = await createEventStore(selection);
    await store.appendBatch(decisions(5000));
    await seed(store);
    const read = await decisionStreamsOf(selection);
    expect(read).toHaveLength(5003);
    expect(new Set(read).size).toBe(5003);
  });

  it('passes when every 201 has its DecisionMade event and nothing else is there', () => {
    const report = checkDurability({ decisionStreams: streams, createdIds: new Set(['t-1', 't-2', 't-3']), created: 3, unanswered: 0 });
    expect(report).toMatchObject({ ok: true, decisionMadeEvents: 3, acknowledgedButMissing: 0, recordedWithoutAnswer: 0 });
  });

  it('allows events whose answers were cut off, up to the number of unanswered requests', () => {
    const ids = new Set(['t-1', 't-2']);
    expect(checkDurability({ decisionStreams: streams, createdIds: ids, created: 2, unanswered: 1 })).toMatchObject({ ok: true, recordedWithoutAnswer: 1 });
    expect(checkDurability({ decisionStreams: streams, createdIds: ids, created: 2, unanswered: 0 }).ok).toBe(false);
  });

  it('fails when an acknowledged decision is missing from the store', () => {
    const report = checkDurability({ decisionStreams: streams, createdIds: new Set(['t-1', 't-2', 't-3', 't-4']), created: 4, unanswered: 10 });
    expect(report).toMatchObject({ ok: false, acknowledgedButMissing: 1 });
    expect(report.verdict).toMatch(/^FAILED/);
  });

  it('fails when the 201 count and the distinct acknowledged ids disagree (an id answered 201 twice)', () => {
    expect(checkDurability({ decisionStreams: streams, createdIds: new Set(['t-1', 't-2', 't-3']), created: 4, unanswered: 0 }).ok).toBe(false);
  });
});

const postgres = probeTestDatabase();
(postgres.available ? describe : describe.skip)('decisionStreamsOf on PostgreSQL (npm run bench -- --postgres)', () => {
  const schemas = new TestSchemas();
  afterAll(() => schemas.dropAll());

  it('reads the same streams through the PostgreSQL adapter, a total of exactly one page included', async () => {
    const selection: EventStoreSelection = { kind: 'postgres', url: TEST_PG_URL, schema: schemas.next() };
    const store = await createEventStore(selection);
    await store.appendBatch(decisions(4997));
    await seed(store);
    const read = await decisionStreamsOf(selection);
    expect(read).toHaveLength(5000);
    expect(new Set(read)).toEqual(new Set([...Array.from({ length: 4997 }, (_, i) => `p-${i}`), 't-1', 't-2', 't-3'].map(decisionStreamId)));
  });
});
if (!postgres.available) console.warn(`SKIPPED decisionStreamsOf on PostgreSQL: ${postgres.reason}`);

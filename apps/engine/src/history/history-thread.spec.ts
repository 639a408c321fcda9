import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteEventStore } from '@verdict/event-store';
import { DecisionMadeFixture } from '@verdict/read-models/testing/decision-made.fixture';
import { appendDecisions } from '@verdict/read-models/testing/read-model-test-helpers';
import { HistoryThread } from './history-thread';

describe('HistoryThread (SQLite, a real thread)', () => {
  let dir: string;
  let file: string;
  let thread: HistoryThread | undefined;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'verdict-history-thread-'));
    file = path.join(dir, 'events.sqlite');
  });

  afterEach(async () => {
    await thread?.stop();
    thread = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers an ask made while it catches up only once it has applied the log as it stood at start', async () => {
    // Several pages of backlog: the thread's loop turns between pages, so an ask arrives mid catch-up.
    const store = await SqliteEventStore.open({ path: file });
    const fixture = new DecisionMadeFixture('catch-up');
    const head = await appendDecisions(store, fixture, 1_800);
    await store.close();

    thread = await HistoryThread.start({ eventStore: { kind: 'sqlite', url: file }, maxEntities: 1_000, reportIntervalMs: 10, waitLimitMs: 1_000 });
    const request = { ...fixture.data().request, cardId: 'card-0', occurredAt: '2026-01-15T11:00:00.000+00:00' };
    const answer = await thread.values([{ request, names: ['card_count_24h'] }]);

    expect(answer.asOf).toBe(head);
    // Every third decision of the backlog was card-0's: all of them, not a partial prefix's share.
    expect(answer.values).toEqual([[600]]);
    expect(thread.caughtUp).toBe(true);
  });

  it("answers an ask only once it has read this instance's commits through the ask's position", async () => {
    const store = await SqliteEventStore.open({ path: file });
    try {
      const fixture = new DecisionMadeFixture('read-your-writes');
      await appendDecisions(store, fixture, 3);
      thread = await HistoryThread.start({ eventStore: { kind: 'sqlite', url: file }, maxEntities: 1_000, reportIntervalMs: 10, waitLimitMs: 60_000 });
      const request = { ...fixture.data().request, cardId: 'card-0', occurredAt: '2026-01-15T11:00:00.000+00:00' };
      const ask = [{ request, names: ['card_count_24h'] }];
      expect((await thread.values(ask)).values).toEqual([[1]]); // decision 3 was card-0's

      // Each commit, then at once an ask that must see it: nothing tells the thread of the commit but the ask
      // (its subscription polls every 50 ms; twenty asks in a row would mostly beat the poll).
      for (let i = 1; i <= 20; i++) {
        const { streamId, event } = fixture.event({ request: { cardId: 'card-0' } });
        const { position } = await store.appendToStream(streamId, [event], { expectedRevision: 'no_stream' });
        const answer = await thread.values(ask, position);
        expect(answer.asOf).toBeGreaterThanOrEqual(position);
        expect(answer.values).toEqual([[1 + i]]);
      }
    } finally {
      await store.close();
    }
  });

  it('answers from the state as it stands when the position is not reached within the wait limit', async () => {
    const store = await SqliteEventStore.open({ path: file });
    const fixture = new DecisionMadeFixture('wait-limit');
    const head = await appendDecisions(store, fixture, 2);
    await store.close();
    thread = await HistoryThread.start({ eventStore: { kind: 'sqlite', url: file }, maxEntities: 1_000, reportIntervalMs: 10, waitLimitMs: 200 });
    const request = { ...fixture.data().request, cardId: 'card-1', occurredAt: '2026-01-15T11:00:00.000+00:00' };
    const started = performance.now();
    const answer = await thread.values([{ request, names: ['card_count_24h'] }], head + 1_000n); // never written
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(answer.asOf).toBe(head);
    expect(answer.values).toEqual([[1]]);
  });
});

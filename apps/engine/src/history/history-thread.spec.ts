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

    thread = await HistoryThread.start({ eventStore: { kind: 'sqlite', url: file }, maxEntities: 1_000, reportIntervalMs: 10 });
    const request = { ...fixture.data().request, cardId: 'card-0', occurredAt: '2026-01-15T11:00:00.000+00:00' };
    const answer = await thread.values([{ request, names: ['card_count_24h'] }]);

    expect(answer.asOf).toBe(head);
    // Every third decision of the backlog was card-0's: all of them, not a partial prefix's share.
    expect(answer.values).toEqual([[600]]);
    expect(thread.caughtUp).toBe(true);
  });
});

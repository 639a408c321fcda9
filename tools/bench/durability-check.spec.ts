import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DECISION_MADE, decisionStreamId } from '@verdict/domain';
import { NO_STREAM, SqliteEventStore } from '@verdict/event-store';
import { checkDurability } from './durability-check';

describe('checkDurability', () => {
  let dir: string;
  let file: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'verdict-durability-'));
    file = path.join(dir, 'events.sqlite');
    const store = await SqliteEventStore.open({ path: file });
    try {
      for (const tx of ['t-1', 't-2', 't-3']) {
        await store.appendToStream(decisionStreamId(tx), [{ id: crypto.randomUUID(), type: DECISION_MADE, data: { transactionId: tx } }], {
          expectedRevision: NO_STREAM,
        });
      }
      // Another event type in the log must not be counted.
      await store.appendToStream('other-1', [{ id: crypto.randomUUID(), type: 'SomethingElse', data: {} }], { expectedRevision: NO_STREAM });
    } finally {
      await store.close();
    }
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes when every 201 has its DecisionMade event and nothing else is there', () => {
    const report = checkDurability({ eventStoreFile: file, createdIds: new Set(['t-1', 't-2', 't-3']), created: 3, unanswered: 0 });
    expect(report).toMatchObject({ ok: true, decisionMadeEvents: 3, acknowledgedButMissing: 0, recordedWithoutAnswer: 0 });
  });

  it('allows events whose answers were cut off, up to the number of unanswered requests', () => {
    const ids = new Set(['t-1', 't-2']);
    expect(checkDurability({ eventStoreFile: file, createdIds: ids, created: 2, unanswered: 1 })).toMatchObject({ ok: true, recordedWithoutAnswer: 1 });
    expect(checkDurability({ eventStoreFile: file, createdIds: ids, created: 2, unanswered: 0 }).ok).toBe(false);
  });

  it('fails when an acknowledged decision is missing from the store', () => {
    const report = checkDurability({ eventStoreFile: file, createdIds: new Set(['t-1', 't-2', 't-3', 't-4']), created: 4, unanswered: 10 });
    expect(report).toMatchObject({ ok: false, acknowledgedButMissing: 1 });
    expect(report.verdict).toMatch(/^FAILED/);
  });

  it('fails when the 201 count and the distinct acknowledged ids disagree (an id answered 201 twice)', () => {
    expect(checkDurability({ eventStoreFile: file, createdIds: new Set(['t-1', 't-2', 't-3']), created: 4, unanswered: 0 }).ok).toBe(false);
  });
});

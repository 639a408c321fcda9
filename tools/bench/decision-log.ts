import { createSqliteEventStore, NO_STREAM } from '@verdict/event-store';
import { decisionEvents } from './audit/decision-events';

const CHUNK = 20_000;

/**
 * Appends `events` DecisionMade events shaped as the engine writes them (decisionEvents) to the SQLite event store at
 * `file`, 5,000 appends in flight at a time so that group commit batches them. Returns the seconds it took.
 */
export async function fillDecisionLog(file: string, events: number, distinctCards: boolean, say: (line: string) => void): Promise<number> {
  const store = await createSqliteEventStore({ path: file });
  const started = performance.now();
  try {
    for (let offset = 0; offset < events; offset += CHUNK) {
      const chunk = decisionEvents(Math.min(CHUNK, events - offset), 7, offset, distinctCards);
      for (let i = 0; i < chunk.length; i += 5000) {
        await Promise.all(chunk.slice(i, i + 5000).map((e) => store.appendToStream(e.streamId, [e.event], { expectedRevision: NO_STREAM })));
      }
      if ((offset / CHUNK) % 10 === 9) say(`  appended ${(offset + chunk.length).toLocaleString('en-US')}`);
    }
  } finally {
    await store.close();
  }
  return (performance.now() - started) / 1000;
}

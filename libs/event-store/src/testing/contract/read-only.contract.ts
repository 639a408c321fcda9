import { EventStoreReadOnlyError } from '../../event-store.errors';
import type { EventStore } from '../../event-store.port';
import { newEvent, take, uniquePrefix } from '../event-store-test-kit';

/** Opens another instance on the same database with `readOnly: true`; the test closes it. */
export type OpenReader = () => Promise<EventStore>;

export function readOnlyContract(store: () => EventStore, openReader: OpenReader): void {
  describe('an instance opened to read only', () => {
    it('reads, counts and follows what another instance appends', async () => {
      const reader = await openReader();
      try {
        await expect(reader.ping()).resolves.toBeUndefined();
        const s = uniquePrefix('read-only');
        const first = await store().appendToStream(s, [newEvent('First')], { expectedRevision: 'no_stream' });
        expect((await reader.readStream(s)).map((e) => e.type)).toEqual(['First']);
        expect(await reader.headPosition()).toBeGreaterThanOrEqual(first.position);
        const subscription = reader.subscribeToAll({ after: first.position, filter: { streamPrefixes: [s] } });
        try {
          await store().appendToStream(s, [newEvent('Second')], { expectedRevision: first.nextExpectedRevision });
          reader.notifyAppended(); // what the engine's reader threads hear from the main thread
          expect((await take(subscription, 1)).map((e) => e.type)).toEqual(['Second']);
        } finally {
          await subscription.close();
        }
      } finally {
        await reader.close();
      }
    });

    it('refuses appends with EventStoreReadOnlyError and writes nothing', async () => {
      const reader = await openReader();
      try {
        const s = uniquePrefix('read-only-refused');
        await expect(reader.appendToStream(s, [newEvent()], { expectedRevision: 'any' })).rejects.toBeInstanceOf(EventStoreReadOnlyError);
        await expect(reader.appendBatch([{ streamId: s, events: [newEvent()], options: { expectedRevision: 'any' } }])).rejects.toBeInstanceOf(
          EventStoreReadOnlyError,
        );
        expect(await store().readStream(s)).toEqual([]);
        expect(await reader.readStream(s)).toEqual([]);
      } finally {
        await reader.close();
      }
    });
  });
}

import { EventStoreClosedError, EventStoreErrorCode } from '../event-store.errors';
import type { EventStore } from '../event-store.port';
import { appendNotificationContract } from './contract/append-notification.contract';
import { appendBatchContract } from './contract/append-batch.contract';
import { appendContract } from './contract/append.contract';
import { readContract } from './contract/read.contract';
import { readOnlyContract } from './contract/read-only.contract';
import { readTextBudgetContract } from './contract/read-text-budget.contract';
import { subscriptionContract } from './contract/subscription.contract';
import { newEvent, uniquePrefix } from './event-store-test-kit';

export { PEER_POLL_INTERVAL_MS } from './contract/append-notification.contract';

export interface EventStoreUnderTest {
  readonly store: EventStore;
  /**
   * Another instance on the same database, as another process would open it, whose idle subscriptions poll no more
   * often than every PEER_POLL_INTERVAL_MS (where the adapter polls at all). The test that opens it closes it.
   */
  openPeer(): Promise<EventStore>;
  /** Another instance on the same database opened with `readOnly: true`. The test that opens it closes it. */
  openReader(): Promise<EventStore>;
  /** Releases what the factory created. Must also work after `store.close()` was called. */
  cleanup(): Promise<void>;
}

/**
 * The definition of "implements the EventStore port". Register it from an adapter's spec file:
 *
 *   describeEventStoreContract('sqlite', async () => { ...; return { store, openPeer, cleanup } });
 *
 * Every test uses fresh random stream names, so the factory may hand out a shared, non-empty store.
 * Adapter-specific behaviour (idempotent event-id reuse, combined filters, ...) is deliberately not part of it.
 */
export function describeEventStoreContract(
  name: string,
  factory: () => Promise<EventStoreUnderTest>,
): void {
  describe(`EventStore contract: ${name}`, () => {
    let underTest: EventStoreUnderTest | undefined;
    const current = (): EventStoreUnderTest => {
      if (underTest === undefined) throw new Error('the contract factory did not produce a store');
      return underTest;
    };
    const store = (): EventStore => current().store;

    beforeAll(async () => {
      underTest = await factory();
    });

    afterAll(async () => {
      await underTest?.cleanup();
    });

    it('names its kind and answers ping', async () => {
      expect(typeof store().kind).toBe('string');
      expect(store().kind.length).toBeGreaterThan(0);
      await expect(store().ping()).resolves.toBeUndefined();
      expect(typeof (await store().headPosition())).toBe('bigint');
    });

    appendContract(store);
    appendBatchContract(store);
    readContract(store);
    readTextBudgetContract(store);
    subscriptionContract(store);
    appendNotificationContract(store, () => current().openPeer());
    readOnlyContract(store, () => current().openReader());

    describe('close', () => {
      it('rejects appends after close() with EventStoreClosedError', async () => {
        const own = await factory();
        try {
          const s = uniquePrefix('closed');
          await own.store.appendToStream(s, [newEvent()], { expectedRevision: 'no_stream' });
          await own.store.close();
          const error = await own.store.appendToStream(s, [newEvent()], { expectedRevision: 'any' }).then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(error).toBeInstanceOf(EventStoreClosedError);
          expect((error as EventStoreClosedError).code).toBe(EventStoreErrorCode.Closed);
        } finally {
          await own.cleanup();
        }
      });
    });
  });
}

import type { EventStore } from '@verdict/event-store';
import { createEsdbEventStore } from '@verdict/event-store/esdb/esdb-event-store';
import { FakeEsdbServer } from '@verdict/event-store/esdb/testing/fake-esdb-server';
import { eventStoreSelection } from './event-store-url';
import { readSeals } from './seal-log';
import { appendDecisions, sealAll, testSigner } from './testing/sealed-fixture';
import { verifyEventStore } from './verify-store';
import { WorkerRangeChecker } from './worker-range-checker';

/**
 * Seals on EventStoreDB (the wire-compatible test server): positions are commit positions in the transaction file,
 * far apart, and $all carries system events that are not part of the log. Direct tampering is not possible there
 * (the log is append-only), so this checks sealing and a clean verification, also on worker threads.
 */
describe('audit seals on EventStoreDB', () => {
  let server: FakeEsdbServer;
  let store: EventStore;
  let connectionString: string;
  beforeAll(async () => {
    server = new FakeEsdbServer();
    ({ connectionString } = await server.start());
    store = createEsdbEventStore({ connectionString, operationTimeoutMs: 5000 });
  });
  afterAll(async () => {
    await store?.close();
    await server?.stop();
  });

  it('seals and verifies clean, on this thread and on worker threads', async () => {
    const signer = testSigner();
    await appendDecisions(store, 1, 25);
    const ends = await sealAll(store, signer, 10);
    expect(ends.length).toBeGreaterThanOrEqual(3);
    expect((await readSeals(store)).every((s) => s.ok)).toBe(true);
    expect(await verifyEventStore(store)).toMatchObject({ clean: true, seals: ends.length, store: 'esdb' });
    const selection = eventStoreSelection(connectionString);
    expect(selection.kind).toBe('esdb');
    const checker = new WorkerRangeChecker(selection, 2);
    try {
      expect(await verifyEventStore(store, { checker, concurrency: 4 })).toMatchObject({ clean: true, seals: ends.length });
    } finally {
      await checker.close();
    }
  });
});

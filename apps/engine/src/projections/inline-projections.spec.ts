import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import pino from 'pino';
import type { VerdictConfig } from '@verdict/config';
import { createEventStore, type EventStore } from '@verdict/event-store';
import type { DataSource } from 'typeorm';
import { InlineProjections, MIN_BATCH_INTERVAL_MS } from './inline-projections';
import { ProjectionWorkerClient } from './projection-worker-client';

describe('InlineProjections', () => {
  let dir: string;
  let store: EventStore;
  let config: VerdictConfig;
  const hint = jest.fn();
  const stopClient = jest.fn(async () => undefined);

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'verdict-inline-projections-'));
    const eventStore = { kind: 'sqlite' as const, url: path.join(dir, 'events.sqlite'), schema: 'verdict' };
    config = {
      eventStore,
      readModels: { kind: 'sqlite', url: path.join(dir, 'read-models.sqlite'), schema: 'verdict_read' },
      projections: { inline: true, batchSize: 50 },
      drift: { windowSeconds: 3600 },
      threads: { backgroundNice: 0 },
    } as unknown as VerdictConfig;
    store = await createEventStore(eventStore);
    // The thread itself is ProjectionWorkerClient's business (projection-worker-client.spec.ts); here only the relay.
    jest.spyOn(ProjectionWorkerClient, 'start').mockResolvedValue({ hint, stop: stopClient } as unknown as ProjectionWorkerClient);
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    hint.mockClear();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const append = (): Promise<unknown> =>
    store.appendToStream(`s-${randomUUID()}`, [{ id: randomUUID(), type: 'T', data: {} }], { expectedRevision: 'no_stream' });

  it("relays this instance's commits to the projection thread through the port, until stopped", async () => {
    const projections = new InlineProjections(config, store, {} as DataSource, pino({ enabled: false }));
    await projections.onApplicationBootstrap();
    await append();
    expect(hint).toHaveBeenCalledTimes(1);
    await projections.stop();
    expect(stopClient).toHaveBeenCalled();
    await delay(MIN_BATCH_INTERVAL_MS + 20); // past the relay's interval: only the unsubscription keeps it quiet
    await append();
    expect(hint).toHaveBeenCalledTimes(1);
  });

  it('relays a commit after a quiet spell at once, and under load at most one a batch interval', async () => {
    const projections = new InlineProjections(config, store, {} as DataSource, pino({ enabled: false }));
    await projections.onApplicationBootstrap();
    try {
      await append();
      expect(hint).toHaveBeenCalledTimes(1);
      // Within the interval, whatever the disk's fsyncs take: the relay's clock stands still while two more commit.
      const now = jest.spyOn(performance, 'now').mockReturnValue(performance.now());
      await Promise.all([append(), append()]);
      now.mockRestore();
      expect(hint).toHaveBeenCalledTimes(1); // the thread applies no sooner; its store polls meanwhile
      await delay(MIN_BATCH_INTERVAL_MS + 20);
      await append();
      expect(hint).toHaveBeenCalledTimes(2);
    } finally {
      await projections.stop();
    }
  });

  it('relays nothing when projections run elsewhere', async () => {
    const projections = new InlineProjections({ ...config, projections: { ...config.projections, inline: false, batchSize: 50 } }, store, {} as DataSource, pino({ enabled: false }));
    await projections.onApplicationBootstrap();
    await append();
    expect(ProjectionWorkerClient.start).not.toHaveBeenCalled();
    expect(hint).not.toHaveBeenCalled();
    await projections.stop();
  });
});

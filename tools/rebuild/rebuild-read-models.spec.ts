import { loadConfig } from '@verdict/config';
import { createSqliteEventStore } from '@verdict/event-store/sqlite/sqlite-event-store';
import { createReadModelDataSource, ReadModelProjections } from '@verdict/read-models';
import { DecisionMadeFixture } from '@verdict/read-models/testing/decision-made.fixture';
import { allDecisions, appendDecisions, storedCheckpoint } from '@verdict/read-models/testing/read-model-test-helpers';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { rebuildFromConfig } from './rebuild-read-models';

describe('rebuild command', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'verdict-rebuild-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('rebuilds the configured read models from the configured event store', async () => {
    const config = loadConfig({
      VERDICT_DATA_DIR: dir,
      VERDICT_EVENT_STORE_URL: path.join(dir, 'events.sqlite'),
      VERDICT_READ_MODELS_URL: path.join(dir, 'rm', 'read-models.sqlite'),
    });
    const store = await createSqliteEventStore({ path: config.eventStore.url });
    const head = await appendDecisions(store, new DecisionMadeFixture(), 12);
    await store.close();

    const result = await rebuildFromConfig(config, pino({ level: 'silent' }));
    expect(result).toEqual([{ name: ReadModelProjections.NAME, events: 12, checkpoint: head }]);

    const ds = await createReadModelDataSource(config.readModels);
    try {
      expect((await allDecisions(ds)).map((d) => d.transactionId)).toEqual(
        Array.from({ length: 12 }, (_, i) => `tx-${String(i + 1).padStart(4, '0')}`),
      );
      expect((await storedCheckpoint(ds, ReadModelProjections.NAME))?.position).toBe(head);
    } finally {
      await ds.destroy();
    }
  });
});

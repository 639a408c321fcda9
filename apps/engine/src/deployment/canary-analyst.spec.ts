import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { createSqliteEventStore, EventStoreUnavailableError, type EventStore } from '@verdict/event-store';
import { ChallengerAnalysis } from './canary-analyst';
import type { DeploymentChanges } from './deployment-changes';
import type { DeploymentFollower } from './deployment-follower';

describe('ChallengerAnalysis while the log head cannot be read', () => {
  let dir: string;
  let real: EventStore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'verdict-canary-'));
    real = await createSqliteEventStore({ path: join(dir, 'events.sqlite') });
  });
  afterEach(async () => {
    jest.useRealTimers();
    await real.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('logs the first failure, then about one a minute, and the recovery: not each of its ten tries a second', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    let down = true;
    // The real store, but its head read fails as an unreachable PostgreSQL or EventStoreDB would.
    const store = {
      subscribeToAll: (options?: Parameters<EventStore['subscribeToAll']>[0]) => real.subscribeToAll(options),
      headPosition: () => (down ? Promise.reject(new EventStoreUnavailableError('connection refused')) : real.headPosition()),
    } as unknown as EventStore;
    const errors: unknown[] = [];
    const infos: unknown[] = [];
    const log = { error: (o: unknown) => errors.push(o), info: (o: unknown) => infos.push(o), warn: () => undefined } as unknown as Logger;
    const challenger = { deploymentId: 'd-1', since: new Date().toISOString(), mode: 'canary', analysis: { intervalSeconds: 600 } }; // no window closes during the test
    const analysis = new ChallengerAnalysis(
      challenger as unknown as ConstructorParameters<typeof ChallengerAnalysis>[0],
      1,
      0n,
      store,
      {} as DeploymentFollower,
      {} as DeploymentChanges,
      log,
    );
    analysis.start();
    try {
      await jest.advanceTimersByTimeAsync(61_000); // ~610 tries
      expect(errors).toHaveLength(2);
      expect(errors[0]).toMatchObject({ deploymentId: 'd-1', failures: 1 });
      expect(errors[1]).toMatchObject({ failures: 601 });
      down = false;
      await jest.advanceTimersByTimeAsync(300);
      expect(infos).toEqual([expect.objectContaining({ deploymentId: 'd-1', failures: expect.any(Number) })]);
      expect(errors).toHaveLength(2);
    } finally {
      await analysis.stop();
    }
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger, loadConfig } from '@verdict/config';
import type { DecisionRequest } from '@verdict/domain';
import { createSqliteEventStore, type EventStore } from '@verdict/event-store';
import { demoDeployment } from '../../deployment/testing/demo-deployment';
import { PersonalData } from '../../privacy/personal-data';

/** The real parts a decision is recorded with in unit tests: a SQLite event store, the demo model, personal data. */
export interface DecisionPathParts {
  readonly store: EventStore;
  readonly deployment: Awaited<ReturnType<typeof demoDeployment>>;
  readonly personal: PersonalData;
  close(): Promise<void>;
}

/** Opens them in a fresh temporary data directory, removed again by close(). */
export async function openDecisionPathParts(prefix: string): Promise<DecisionPathParts> {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const config = loadConfig({ VERDICT_DATA_DIR: dir });
  const store = await createSqliteEventStore({ path: path.join(dir, 'events.sqlite') });
  const deployment = await demoDeployment(config.policy);
  const personal = await PersonalData.open(config, createLogger('silent', 'verdict-test'));
  return {
    store,
    deployment,
    personal,
    close: async () => {
      await personal.close();
      await store.close();
      await deployment.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Minimal valid requests of one card at one merchant. */
export const cardRequest = (cardId: string, merchantId: string) => (transactionId: string, amount = 25): DecisionRequest => ({
  transactionId,
  occurredAt: '2026-11-20T10:00:00Z',
  amount,
  currency: 'EUR',
  cardId,
  merchantId,
});

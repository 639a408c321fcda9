import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { applyToHistory, HISTORY_FEATURES, HistoryState, historyFeatureValues, type DecisionMade, type DecisionRequest, type LoggedEvent } from '@verdict/domain';
import { createSqliteEventStore, type EventStore } from '@verdict/event-store';
import { HistoryRecompute } from './history-recompute';

const T0 = Date.parse('2026-12-01T12:00:00Z');
const NAMES = HISTORY_FEATURES.map((f) => f.name);
const BOUND = 4;

/** One engine instance: its own history state, fed from the log in order, possibly behind its head. */
interface Instance {
  readonly state: HistoryState;
  applied: number;
}

/**
 * Appends events as engines do and records, with each decision, the features its instance computed and the position
 * they were computed as of; every event type reaches the instances' states (they subscribe to all).
 */
class Engines {
  readonly log: LoggedEvent[] = [];
  readonly recorded: { decision: DecisionMade; values: number[] }[] = [];
  readonly instances: Instance[] = [0, 1].map(() => ({ state: new HistoryState(BOUND), applied: 0 }));

  constructor(private readonly store: EventStore) {}

  /** Lets an instance apply up to `count` more events of the log. */
  catchUp(instance: Instance, count = Infinity): void {
    while (instance.applied < this.log.length && count-- > 0) applyToHistory(instance.state, this.log[instance.applied++] as LoggedEvent);
  }

  async decide(instance: Instance, i: number, subject: string, minutes: number): Promise<void> {
    const request: DecisionRequest = {
      transactionId: `tx-${i}`, occurredAt: new Date(T0 + minutes * 60_000).toISOString(), amount: 10 + i, currency: 'EUR',
      cardId: `ps_card-${subject}`, customerId: `ps_cust-${subject}`, deviceId: 'ps_dev-shared', merchantId: `term-${i % 2}`,
    };
    const values = historyFeatureValues(instance.state, request, NAMES);
    const data = {
      schemaVersion: 4, decisionId: `d-${i}`, transactionId: request.transactionId, request, outcome: i % 3 === 0 ? 'decline' : 'approve',
      featuresAsOf: instance.state.appliedThrough.toString(), historyMaxEntities: BOUND,
      personal: { subject: `ps_subject-${subject}`, keyId: 'k', iv: 'aXY', data: 'eA' },
    } as unknown as DecisionMade;
    this.recorded.push({ decision: data, values });
    await this.append(`decision-${request.transactionId}`, 'DecisionMade', data);
  }

  erase(subject: string): Promise<void> {
    const data = { schemaVersion: 1, subjectRef: `ps_subject-${subject}`, keyIds: ['k'], pseudonyms: { cardId: [`ps_card-${subject}`], customerId: [`ps_cust-${subject}`] }, erasedAt: new Date(T0).toISOString() };
    return this.append(`erasure-ps_subject-${subject}`, 'SubjectErased', data);
  }

  label(i: number, minutes: number): Promise<void> {
    const data = { schemaVersion: 2, labelId: `l-${i}`, transactionId: `tx-${i}`, decisionId: `d-${i}`, merchantId: `term-${i % 2}`, label: 'fraud', source: 'chargeback', reportedAt: new Date(T0 + minutes * 60_000).toISOString(), recordedBy: 'x' };
    return this.append(`labels-tx-${i}`, 'TransactionLabelled', data);
  }

  async append(streamId: string, type: string, data: unknown): Promise<void> {
    const { position } = await this.store.appendToStream(streamId, [{ id: randomUUID(), type, data: data as Record<string, unknown> }], { expectedRevision: 'any' });
    this.log.push({ position, type, data });
  }

  /** What the recompute replay answers for every recorded decision, in log order. */
  async recomputed(): Promise<number[][]> {
    const recompute = new HistoryRecompute(this.store);
    const out: number[][] = [];
    for (const r of this.recorded) out.push(await recompute.values(r.decision, NAMES));
    return out;
  }
}

describe('HistoryRecompute with erasures in the log', () => {
  let dir: string;
  let store: EventStore;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'verdict-recompute-'));
    store = await createSqliteEventStore({ path: path.join(dir, 'events.sqlite') });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('recomputes what was recorded before and after an erasure; after it the subject\'s card starts anew', async () => {
    const engines = new Engines(store);
    const [live] = engines.instances as [Instance];
    for (const [i, minutes] of [[1, 0], [2, 5]] as const) {
      await engines.decide(live, i, 's', minutes);
      engines.catchUp(live);
    }
    await engines.erase('s');
    await engines.append('other', 'CardBlocked', { any: 1 }); // a type the history skips
    engines.catchUp(live);
    await engines.decide(live, 3, 's', 10);
    const values = engines.recorded.map((r) => r.values[NAMES.indexOf('card_count_24h')]);
    expect(values).toEqual([0, 1, 0]);
    expect(await engines.recomputed()).toEqual(engines.recorded.map((r) => r.values));
  });

  it('equals the recorded features for every decision, whatever the interleaving and the instances\' lag (property)', async () => {
    const step = fc.record({
      kind: fc.constantFrom('decide', 'decide', 'decide', 'erase', 'label', 'other'),
      subject: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
      instance: fc.constantFrom(0, 1),
      lag: fc.integer({ min: 0, max: 4 }),
      minutes: fc.integer({ min: -60 * 24 * 30, max: 60 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), async (steps) => {
        // A fresh log per run.
        await store.close();
        rmSync(dir, { recursive: true, force: true });
        dir = mkdtempSync(path.join(tmpdir(), 'verdict-recompute-'));
        store = await createSqliteEventStore({ path: path.join(dir, 'events.sqlite') });
        const engines = new Engines(store);
        for (const [i, s] of steps.entries()) {
          const instance = engines.instances[s.instance] as Instance;
          // The instance has applied all but the last `lag` events: its view may be behind the other's.
          engines.catchUp(instance, Math.max(0, engines.log.length - s.lag - instance.applied));
          if (s.kind === 'decide') await engines.decide(instance, i, s.subject, s.minutes);
          else if (s.kind === 'erase') await engines.erase(s.subject);
          else if (s.kind === 'label') await engines.label(Math.max(0, i - 1), s.minutes);
          else await engines.append(`other-${i}`, 'CardBlocked', { i });
        }
        expect(await engines.recomputed()).toEqual(engines.recorded.map((r) => r.values));
      }),
      { numRuns: 40 },
    );
  });
});

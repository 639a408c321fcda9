import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { deriveKeys, SUBJECT_ERASED, type DecisionRequest, type SubjectErased } from '@verdict/domain';
import { createEventStore, type EventStore } from '@verdict/event-store';
import { createSubjectKeyStore, SubjectVault, type SubjectKeyStore } from '@verdict/subject-keys';
import { PersonalData } from './personal-data';
import { SubjectErasure } from './subject-erasure';

const request = (n: number, cardId: string, customerId?: string): DecisionRequest => ({
  transactionId: `tx-${n}`, occurredAt: '2026-12-01T10:00:00Z', amount: n, currency: 'EUR', cardId, merchantId: 'm-1', ...(customerId ? { customerId } : {}),
});

/** SubjectErasure on a real SQLite event store and key store: what SubjectErased tells read models and history to forget. */
describe('SubjectErasure', () => {
  let dir: string;
  let events: EventStore;
  let keys: SubjectKeyStore;
  let personal: PersonalData;
  let erasure: SubjectErasure;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'verdict-erasure-'));
    events = await createEventStore({ kind: 'sqlite', url: path.join(dir, 'events.sqlite') });
    keys = await createSubjectKeyStore({ kind: 'sqlite', url: path.join(dir, 'subject-keys.sqlite') });
    const vault = new SubjectVault(keys, deriveKeys(Buffer.alloc(32, 7)), { cardIdsAreTokens: false, personalAttributes: [] });
    personal = new PersonalData(vault, keys, pino({ level: 'silent' }));
    erasure = new SubjectErasure(events, personal);
  });
  afterEach(async () => {
    await events.close();
    await keys.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const erasedEvent = async (ref: string): Promise<SubjectErased> => {
    const [event] = await events.readStream(`erasure-${ref}`);
    expect(event?.type).toBe(SUBJECT_ERASED);
    return event!.data as unknown as SubjectErased;
  };

  it("names a card subject's own card, even when another subject used the card first", async () => {
    const { vault } = personal;
    await vault.prepare([vault.protect(request(1, 'card-shared', 'cust-first'))]); // the directory holds the card under cust-first
    await vault.prepare([vault.protect(request(2, 'card-shared'))]); // the card alone is the subject here
    const result = await erasure.erase('card-shared', null);
    const event = await erasedEvent(result.subjectRef);
    expect(event.pseudonyms.cardId).toEqual([vault.pseudonyms.field('cardId', 'card-shared')]);
    expect(event.pseudonyms.customerId).toEqual([]);
  });

  it("names a customer subject's customer and cards, not a card pseudonym of the customer's id", async () => {
    const { vault } = personal;
    await vault.prepare([vault.protect(request(3, 'card-9', 'cust-9'))]);
    const result = await erasure.erase('cust-9', 'ticket 12');
    const event = await erasedEvent(result.subjectRef);
    expect(event.pseudonyms).toEqual({ cardId: [vault.pseudonyms.field('cardId', 'card-9')], customerId: [vault.pseudonyms.field('customerId', 'cust-9')] });
    expect(result).toMatchObject({ keysDestroyed: 1, valuesDestroyed: 2 });
  });
});

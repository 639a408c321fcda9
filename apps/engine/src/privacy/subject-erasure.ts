import { newEventId, isPersonalField, SUBJECT_ERASED, SUBJECT_ERASED_SCHEMA_VERSION, subjectErasureStreamId, type SubjectErased } from '@verdict/domain';
import { ANY, type EventStore } from '@verdict/event-store';
import type { ErasureRecord } from '@verdict/subject-keys';
import type { PersonalData } from './personal-data';

/** What an erasure answers. */
export interface ErasureResult {
  readonly subjectRef: string;
  readonly erasedAt: string;
  readonly keysDestroyed: number;
  readonly valuesDestroyed: number;
  /** The SubjectErased event's global log position (decimal). */
  readonly position: string;
}

/**
 * POST /v1/subjects/{id}/erasure: destroys the subject's keys and identities in the key store first, then records
 * SubjectErased, which read models and the history apply. If the append fails the keys are gone anyway (the data is
 * unreadable); a retry appends the event with what the failed attempt forgot, taken from the store's last record.
 */
export class SubjectErasure {
  constructor(
    private readonly store: EventStore,
    private readonly personal: PersonalData,
  ) {}

  async erase(subjectId: string, reason: string | null): Promise<ErasureResult> {
    const previous = await this.personal.vault.lastErasure(subjectId);
    const record = await this.personal.vault.erase(subjectId);
    const event: SubjectErased = {
      schemaVersion: SUBJECT_ERASED_SCHEMA_VERSION,
      subjectRef: record.subjectRef,
      keyIds: unique([...record.keyIds, ...(previous?.keyIds ?? [])]),
      pseudonyms: { cardId: unique([...pseudonymsOf('cardId', record, previous), ...this.ownCard(subjectId, record, previous)]), customerId: pseudonymsOf('customerId', record, previous) },
      erasedAt: record.erasedAt.toISOString(),
    };
    const appended = await this.store.appendToStream(
      subjectErasureStreamId(record.subjectRef),
      [{ id: newEventId(), type: SUBJECT_ERASED, data: { ...event, ...(reason ? { reason } : {}) }, metadata: { schemaVersion: SUBJECT_ERASED_SCHEMA_VERSION } }],
      { expectedRevision: ANY },
    );
    return {
      subjectRef: record.subjectRef,
      erasedAt: event.erasedAt,
      keysDestroyed: record.keyIds.length,
      valuesDestroyed: record.identities.length,
      position: appended.position.toString(),
    };
  }

  /**
   * A card that is itself the subject (decisions without a customer): its pseudonym, even when the identity directory
   * holds it under another subject that used the card first. A customer subject always has its customerId identity.
   */
  private ownCard(subjectId: string, ...records: (ErasureRecord | undefined)[]): string[] {
    const customer = records.some((r) => r?.identities.some((i) => i.field === 'customerId'));
    if (customer || !isPersonalField('cardId', this.personal.vault.policy)) return [];
    return [this.personal.vault.pseudonyms.field('cardId', subjectId)];
  }
}

function pseudonymsOf(field: string, ...records: (ErasureRecord | undefined)[]): string[] {
  return unique(records.flatMap((r) => (r?.identities ?? []).filter((i) => i.field === field).map((i) => i.pseudonym)));
}

const unique = (values: readonly string[]): string[] => [...new Set(values)];

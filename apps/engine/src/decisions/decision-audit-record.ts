import { upcastDecisionMade, type DecisionMade, type DecisionRequest } from '@verdict/domain';
import type { RecordedEvent } from '@verdict/event-store';
import type { PersonalData } from '../privacy/personal-data';

/**
 * GET /v1/decisions/{id}: the whole DecisionMade event, read as the current schema version, plus where and when the
 * store recorded it and the schema version it was stored in (`storedSchemaVersion`: 1 for decisions made before
 * deployments existed).
 */
export type DecisionAuditRecord = DecisionMade & {
  readonly eventId: string;
  readonly eventType: string;
  readonly stream: string;
  readonly revision: number;
  readonly position: number;
  readonly recordedAt: string;
  readonly metadata: Record<string, unknown>;
  readonly storedSchemaVersion: number;
  /**
   * The request as the log holds it (pseudonyms in place of personal values), when `request` shows it otherwise:
   * `requestHash` is taken over this one.
   */
  readonly storedRequest?: DecisionRequest;
};

/** The audit record with personal values in the clear while the subject's key lives, else ERASED. */
export async function toAuditRecord(event: RecordedEvent, personal: PersonalData): Promise<DecisionAuditRecord> {
  const stored = upcastDecisionMade(event.data);
  const revealed = await personal.revealDecision(stored);
  return { ...recordOf(event, revealed), ...(revealed === stored ? {} : { storedRequest: stored.request }) };
}

/** The audit record as the log holds it (pseudonyms in place of personal values): for readers that show none of them. */
export const storedAuditRecord = (event: RecordedEvent): DecisionAuditRecord => recordOf(event, upcastDecisionMade(event.data));

function recordOf(event: RecordedEvent, decision: DecisionMade): DecisionAuditRecord {
  return {
    ...decision,
    eventId: event.id,
    eventType: event.type,
    stream: event.streamId,
    revision: Number(event.revision),
    position: Number(event.position),
    recordedAt: event.recordedAt.toISOString(),
    metadata: event.metadata,
    storedSchemaVersion: Number((event.data as { schemaVersion?: unknown }).schemaVersion),
  };
}

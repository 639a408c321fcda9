import { upcastDecisionMade, type DecisionMade } from '@verdict/domain';
import type { RecordedEvent } from '@verdict/event-store';

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
};

export function toAuditRecord(event: RecordedEvent): DecisionAuditRecord {
  return {
    ...upcastDecisionMade(event.data),
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

import type { DecisionMadeV1 } from '@verdict/domain';
import type { RecordedEvent } from '@verdict/event-store';

/** GET /v1/decisions/{id}: the whole DecisionMade event plus where and when the store recorded it. */
export type DecisionAuditRecord = DecisionMadeV1 & {
  readonly eventId: string;
  readonly eventType: string;
  readonly stream: string;
  readonly revision: number;
  readonly position: number;
  readonly recordedAt: string;
  readonly metadata: Record<string, unknown>;
};

export function toAuditRecord(event: RecordedEvent): DecisionAuditRecord {
  return {
    ...(event.data as unknown as DecisionMadeV1),
    eventId: event.id,
    eventType: event.type,
    stream: event.streamId,
    revision: Number(event.revision),
    position: Number(event.position),
    recordedAt: event.recordedAt.toISOString(),
    metadata: event.metadata,
  };
}

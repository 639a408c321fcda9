/** Event type names are part of the stored format: never rename one. */
export const SUBJECT_ERASED = 'SubjectErased' as const;
export const SUBJECT_ERASED_SCHEMA_VERSION = 1 as const;

/**
 * A data subject's keys were destroyed (POST /v1/subjects/{id}/erasure): the personal values sealed under them can
 * no longer be read, and every read model and derived state forgets the subject's pseudonyms when it reads this.
 * It names the subject only by its reference (a pseudonym) and holds no personal value.
 */
export interface SubjectErasedV1 {
  readonly schemaVersion: 1;
  readonly subjectRef: string;
  /** The key ids destroyed (empty when the subject had none left). */
  readonly keyIds: readonly string[];
  /** The subject's own pseudonyms, to forget: its card and customer ids (devices and IPs may be shared). */
  readonly pseudonyms: { readonly cardId: readonly string[]; readonly customerId: readonly string[] };
  readonly erasedAt: string;
}

export type SubjectErased = SubjectErasedV1;

export const subjectErasureStreamId = (subjectRef: string): string => `erasure-${subjectRef}`;

export function readSubjectErased(data: unknown): SubjectErased {
  const event = data as SubjectErasedV1;
  if (event.schemaVersion !== 1) throw new RangeError(`SubjectErased schema version ${String(event.schemaVersion)} is newer than this build`);
  return event;
}

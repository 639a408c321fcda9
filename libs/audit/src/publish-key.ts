import { AUDIT_KEYS_STREAM, AUDIT_SIGNING_KEY_ADDED, type AuditSigningKeyAddedV1 } from '@verdict/domain/audit';
import { uuidV5 } from '@verdict/domain/deterministic-id';
import { isWrongExpectedRevision, NO_STREAM, type EventStore } from '@verdict/event-store';
import { readPublishedKeys } from './seal-log';

/**
 * Puts the signing key's public half on `audit-keys` before it signs anything, once. The append expects the stream
 * as just read, so instances racing with the same key add it once; the event id is derived from the key id, so
 * EventStoreDB's duplicate detection agrees.
 */
export async function publishSigningKey(store: EventStore, key: { readonly keyId: string; readonly publicKeyPem: string }, now: () => Date = () => new Date()): Promise<void> {
  for (;;) {
    const { keys, lastRevision } = await readPublishedKeys(store);
    if (keys.some((k) => k.keyId === key.keyId)) return;
    const data: AuditSigningKeyAddedV1 = { schemaVersion: 1, keyId: key.keyId, algorithm: 'ed25519', publicKeyPem: key.publicKeyPem, addedAt: now().toISOString() };
    try {
      await store.appendToStream(AUDIT_KEYS_STREAM, [{ id: uuidV5(`audit-key:${key.keyId}`), type: AUDIT_SIGNING_KEY_ADDED, data: { ...data } }], {
        expectedRevision: lastRevision ?? NO_STREAM,
      });
      return;
    } catch (e) {
      if (!isWrongExpectedRevision(e)) throw e;
    }
  }
}

import { createPublicKey, type KeyObject } from 'node:crypto';
import {
  AUDIT_KEYS_STREAM,
  AUDIT_SEALS_STREAM,
  keyIdOf,
  parseSealEvent,
  parseSigningKeyEvent,
  sealHashOf,
  sealHeaderOf,
  type AuditPeriodSealedV1,
  type AuditSigningKeyAddedV1,
} from '@verdict/domain/audit';
import { isUnreadableEvent, type EventStore, type RecordedEvent } from '@verdict/event-store';

/** One event of `audit-seals`, parsed when well formed. */
export type StoredSeal =
  | { readonly ok: true; readonly revision: bigint; readonly position: bigint; readonly seal: AuditPeriodSealedV1; readonly sealHash: string }
  | { readonly ok: false; readonly revision: bigint; readonly position: bigint; readonly error: string };

const PAGE = 500;

/** An event of an audit stream, or the place and reason of one whose text does not parse. */
type AuditStreamEvent = RecordedEvent | { readonly unreadable: string; readonly revision: bigint; readonly position: bigint };

/**
 * Every event of `stream` from `fromRevision`, in revision order. An unreadable event (only a tampered store holds
 * one) is handed on as such, so that the events around it are still read and verification can report it.
 */
async function readAuditStream(store: EventStore, stream: string, fromRevision: bigint): Promise<AuditStreamEvent[]> {
  const out: AuditStreamEvent[] = [];
  for (let from = fromRevision; ; ) {
    let page: RecordedEvent[];
    try {
      page = await store.readStream(stream, { fromRevision: from, maxCount: PAGE });
    } catch (e) {
      if (!isUnreadableEvent(e) || e.streamId !== stream || e.revision < from) throw e;
      // Rows are parsed in order: the ones before it read, it is reported, the read goes on after it.
      if (e.revision > from) out.push(...(await store.readStream(stream, { fromRevision: from, maxCount: Number(e.revision - from) })));
      out.push({ unreadable: e.reason, revision: e.revision, position: e.position });
      from = e.revision + 1n;
      continue;
    }
    out.push(...page);
    if (page.length < PAGE) return out;
    from = page[page.length - 1].revision + 1n;
  }
}

/** Every event of `audit-seals` from `fromRevision`, in revision order. */
export async function readSeals(store: EventStore, fromRevision = 0n): Promise<StoredSeal[]> {
  return (await readAuditStream(store, AUDIT_SEALS_STREAM, fromRevision)).map((e): StoredSeal => {
    if ('unreadable' in e) return { ok: false, revision: e.revision, position: e.position, error: `the seal event cannot be read: ${e.unreadable}` };
    const parsed = parseSealEvent(e.data);
    return parsed.ok
      ? { ok: true, revision: e.revision, position: e.position, seal: parsed.value, sealHash: sealHashOf(sealHeaderOf(parsed.value), parsed.value.signature) }
      : { ok: false, revision: e.revision, position: e.position, error: parsed.error };
  });
}

export interface PublishedKey extends AuditSigningKeyAddedV1 {
  readonly position: string;
}

/**
 * The public keys on `audit-keys`. A key whose PEM does not hash to its keyId, or whose event cannot be read, is left
 * out (it could vouch for nothing; seals signed with it are then reported as signed by an unknown key).
 */
export async function readPublishedKeys(store: EventStore): Promise<{ keys: PublishedKey[]; lastRevision: bigint | null }> {
  const events = await readAuditStream(store, AUDIT_KEYS_STREAM, 0n);
  const keys: PublishedKey[] = [];
  for (const e of events) {
    if ('unreadable' in e) continue;
    const parsed = parseSigningKeyEvent(e.data);
    if (!parsed.ok) continue;
    const key = publicKeyFromPem(parsed.value.publicKeyPem);
    if (key !== null && keyIdOf(key) === parsed.value.keyId) keys.push({ ...parsed.value, position: e.position.toString() });
  }
  return { keys, lastRevision: events.length > 0 ? events[events.length - 1].revision : null };
}

/** An Ed25519 public key from PEM (SPKI, or a private key's public half), or null if it is not one. */
export function publicKeyFromPem(pem: string): KeyObject | null {
  try {
    const key = createPublicKey(pem);
    return key.asymmetricKeyType === 'ed25519' ? key : null;
  } catch {
    return null;
  }
}

export function keyMap(pems: readonly string[]): Map<string, KeyObject> {
  const map = new Map<string, KeyObject>();
  for (const pem of pems) {
    const key = publicKeyFromPem(pem);
    if (key === null) throw new Error('not an Ed25519 public key in PEM form');
    map.set(keyIdOf(key), key);
  }
  return map;
}

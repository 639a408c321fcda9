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
import type { EventStore } from '@verdict/event-store';

/** One event of `audit-seals`, parsed when well formed. */
export type StoredSeal =
  | { readonly ok: true; readonly revision: bigint; readonly position: bigint; readonly seal: AuditPeriodSealedV1; readonly sealHash: string }
  | { readonly ok: false; readonly revision: bigint; readonly position: bigint; readonly error: string };

const PAGE = 500;

/** Every event of `audit-seals` from `fromRevision`, in revision order. */
export async function readSeals(store: EventStore, fromRevision = 0n): Promise<StoredSeal[]> {
  const out: StoredSeal[] = [];
  for (let from = fromRevision; ; ) {
    const page = await store.readStream(AUDIT_SEALS_STREAM, { fromRevision: from, maxCount: PAGE });
    for (const e of page) {
      const parsed = parseSealEvent(e.data);
      out.push(
        parsed.ok
          ? { ok: true, revision: e.revision, position: e.position, seal: parsed.value, sealHash: sealHashOf(sealHeaderOf(parsed.value), parsed.value.signature) }
          : { ok: false, revision: e.revision, position: e.position, error: parsed.error },
      );
    }
    if (page.length < PAGE) return out;
    from = page[page.length - 1].revision + 1n;
  }
}

export interface PublishedKey extends AuditSigningKeyAddedV1 {
  readonly position: string;
}

/** The public keys on `audit-keys`. A key whose PEM does not hash to its keyId is left out (it could vouch for nothing). */
export async function readPublishedKeys(store: EventStore): Promise<{ keys: PublishedKey[]; lastRevision: bigint | null }> {
  const events = await store.readStream(AUDIT_KEYS_STREAM);
  const keys: PublishedKey[] = [];
  for (const e of events) {
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

import { hash } from 'node:crypto';

/** Verdict's UUID namespace for name-based (v5) ids. Never change it: stored event ids derive from it. */
export const VERDICT_NAMESPACE = '6f1c8a2e-3b7d-5e49-9a0c-4d2f6b8e1a37';

function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

/** Parsed once: every decision id derives from it. */
const VERDICT_NAMESPACE_BYTES = uuidBytes(VERDICT_NAMESPACE);

/** RFC 9562 version-5 UUID: the same name always gives the same id. */
export function uuidV5(name: string, namespace: string = VERDICT_NAMESPACE): string {
  const ns = namespace === VERDICT_NAMESPACE ? VERDICT_NAMESPACE_BYTES : uuidBytes(namespace);
  // One-shot hash: no Hash object per id.
  const b = hash('sha1', Buffer.concat([ns, Buffer.from(name, 'utf8')]), 'buffer').subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x50;
  b[8] = (b[8] & 0x3f) | 0x80;
  return uuidText(b);
}

/** 16 bytes as a UUID's text (lower-case hex in 8-4-4-4-12 groups). */
export function uuidText(bytes: Buffer): string {
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * The decision id of a transaction, in the DecisionMade's data. Deterministic: a retry of the same transaction names
 * the same decision. (Events recorded before 2026-12-03 also carried it as their event id; later ones have a fresh
 * one: docs/events.md, "Event ids".)
 */
export const decisionIdFor = (transactionId: string): string => uuidV5(`decision:${transactionId}`);

export const sha256Hex = (text: string): string => hash('sha256', text, 'hex');

import { DECISION_REQUEST_MAX_BYTES, type DecisionRequest } from '@verdict/domain';

/**
 * Room for every field but the attributes: ~700 characters at most by the schema, at up to 6 bytes each (a \u
 * escape), with the keys and punctuation.
 */
const ROOM_FOR_THE_REST = 8 * 1024;
const BYTES_PER_CHAR = 6;

/**
 * Whether a batch item is larger, as compact JSON, than a single decision request may be (DECISION_REQUEST_MAX_BYTES):
 * a batch must not take an item that its own command would refuse (413), or a retry of it alone could never be
 * answered. Only attributes can hold that much text, so their characters are counted first, and an item is
 * serialised only when they could pass the limit.
 */
export function isOversizedItem(item: DecisionRequest): boolean {
  const attributes = item.attributes;
  if (attributes === undefined) return false;
  let chars = 0;
  for (const key in attributes) {
    const value = attributes[key];
    chars += key.length + (typeof value === 'string' ? value.length : 0);
  }
  if (chars * BYTES_PER_CHAR + ROOM_FOR_THE_REST <= DECISION_REQUEST_MAX_BYTES) return false;
  return Buffer.byteLength(JSON.stringify(item)) > DECISION_REQUEST_MAX_BYTES;
}

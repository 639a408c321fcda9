import { createHmac, hkdfSync } from 'node:crypto';
import { PSEUDONYM_PREFIX, type PersonalField } from './personal-fields';

/** The two keys derived from the configured master key: one wraps subject keys, one makes pseudonyms. */
export interface DerivedKeys {
  readonly wrapping: Buffer;
  readonly pseudonyms: Buffer;
}

export const MASTER_KEY_BYTES = 32;

/** HKDF-SHA256 with distinct labels: neither derived key says anything about the other or the master key. */
export function deriveKeys(master: Buffer): DerivedKeys {
  if (master.length !== MASTER_KEY_BYTES) throw new RangeError(`the master key must be ${MASTER_KEY_BYTES} bytes, got ${master.length}`);
  const derive = (label: string) => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), label, 32));
  return { wrapping: derive('verdict/subject-key-wrapping/v1'), pseudonyms: derive('verdict/pseudonyms/v1') };
}

/**
 * Keyed pseudonyms: HMAC-SHA256 over a domain label and the value, 128 bits in base64url. Deterministic, so equal
 * values stay equal (history windows, filters, idempotency), and unlinkable to the value without the master key.
 * Each field has its own domain: a card id and a customer id that happen to be equal get different pseudonyms.
 */
export class Pseudonymizer {
  constructor(private readonly key: Buffer) {}

  field(field: PersonalField, value: string): string {
    return this.mac(`field:${field}`, value);
  }

  /** An attribute's value keeps its JSON type in the envelope; its pseudonym covers the type too. */
  attribute(name: string, value: string | number | boolean): string {
    return this.mac(`attribute:${name}`, JSON.stringify(value));
  }

  /** The data subject's reference: what the event, the key store and erasures name it by. */
  subject(id: string): string {
    return this.mac('subject', id);
  }

  private mac(domain: string, value: string): string {
    const digest = createHmac('sha256', this.key).update(domain).update('\0').update(value).digest();
    return PSEUDONYM_PREFIX + digest.subarray(0, 16).toString('base64url');
  }
}

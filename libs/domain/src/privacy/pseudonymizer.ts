import { createHmac, createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { BoundedMap } from '../bounded-map';
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
  private readonly key: KeyObject;
  /** Recent inputs → pseudonyms (an HMAC costs ~10 µs; most traffic repeats cards and customers). */
  private readonly recent: BoundedMap<string, string> | undefined;
  /** Their pseudonyms → inputs, so that an erasure can drop them (forget). */
  private readonly inputs = new Map<string, string>();

  /** `cacheSize`: inputs remembered (0: none). */
  constructor(key: Buffer, cacheSize = 100_000) {
    this.recent = cacheSize > 0 ? new BoundedMap(cacheSize) : undefined;
    // A KeyObject once: createHmac with a raw Buffer imports the key on every call (~6x slower on Node 24).
    this.key = createSecretKey(key);
  }

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

  /** Drops these pseudonyms' inputs from memory (the subject they belong to was erased). */
  forget(pseudonyms: Iterable<string>): void {
    for (const p of pseudonyms) {
      const input = this.inputs.get(p);
      if (input === undefined) continue;
      this.inputs.delete(p);
      this.recent?.delete(input);
    }
  }

  private mac(domain: string, value: string): string {
    const input = `${domain}\0${value}`;
    const hit = this.recent?.get(input);
    if (hit !== undefined) return hit;
    const pseudonym = PSEUDONYM_PREFIX + createHmac('sha256', this.key).update(input).digest().subarray(0, 16).toString('base64url');
    if (this.recent) {
      const evicted = this.recent.set(input, pseudonym);
      if (evicted) this.inputs.delete(evicted[1]);
      this.inputs.set(pseudonym, input);
    }
    return pseudonym;
  }
}

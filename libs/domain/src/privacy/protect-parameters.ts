import { isPersonalField, isPseudonym, PERSONAL_FIELDS, type PersonalField, type PrivacyPolicy } from './personal-fields';
import type { Pseudonymizer } from './pseudonymizer';

const PERSONAL = new Set<string>(PERSONAL_FIELDS);
const MAX_DEPTH = 8;

/**
 * A read's parameters (query string, path ids, GraphQL arguments) as the access log may keep them: every value under a
 * personal field's name (`cardId`, `customerId`, `deviceId`, `ip`, at any depth) replaced by its pseudonym, the
 * value the read models and the log hold. The access log is immutable, so a clear card id in a filter would outlive
 * its subject's erasure; the pseudonym still tells an auditor which reads asked for the same card.
 */
export function protectParameters(parameters: Record<string, unknown>, policy: PrivacyPolicy, pseudonyms: Pseudonymizer): Record<string, unknown> {
  return walk(parameters, 0, policy, pseudonyms) as Record<string, unknown>;
}

function walk(value: unknown, depth: number, policy: PrivacyPolicy, pseudonyms: Pseudonymizer): unknown {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1, policy, pseudonyms));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = PERSONAL.has(key) && isPersonalField(key as PersonalField, policy) ? hide(key as PersonalField, v, pseudonyms) : walk(v, depth + 1, policy, pseudonyms);
  }
  return out;
}

/** A personal value, or a list of them (a repeated query parameter), as pseudonyms; anything else as it was. */
function hide(field: PersonalField, value: unknown, pseudonyms: Pseudonymizer): unknown {
  if (Array.isArray(value)) return value.map((v) => hide(field, v, pseudonyms));
  return typeof value === 'string' && !isPseudonym(value) ? pseudonyms.field(field, value) : value;
}

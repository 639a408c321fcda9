import { canonicalJson } from '../canonical-json';
import type { DecisionRequest } from '../decision-request';
import { open, seal, type SealedBox } from './personal-envelope';
import { ERASED, isPersonalField, isPseudonym, PERSONAL_FIELDS, type PersonalField, type PrivacyPolicy } from './personal-fields';
import type { Pseudonymizer } from './pseudonymizer';

type AttributeValue = string | number | boolean;

/** One personal value and its pseudonym: what the identity directory holds (sealed) so reads can show it again. */
export interface Identity {
  readonly pseudonym: string;
  /** `cardId`, `customerId`, `deviceId`, `ip` or `attributes.<name>`. */
  readonly field: string;
  /** The clear value as JSON (attributes keep their type). */
  readonly value: string;
}

/** The clear personal values of one request: the plaintext of its envelope. */
export interface PersonalValues {
  readonly cardId?: string;
  readonly customerId?: string;
  readonly deviceId?: string;
  readonly ip?: string;
  readonly attributes?: Readonly<Record<string, AttributeValue>>;
}

/** The personal values of a decision sealed under its subject's key (DecisionMade v4, docs/events.md). */
export interface PersonalEnvelope extends SealedBox {
  /** The data subject's reference (a pseudonym of the customer id, else the card id). */
  readonly subject: string;
  readonly keyId: string;
}

/** A request split into what the log may hold in the clear and what must be sealed. */
export interface ProtectedRequest {
  /** The request with pseudonyms in place of personal values: what the event, history and read models hold. */
  readonly stored: DecisionRequest;
  /** Undefined when nothing in the request is personal. */
  readonly subject?: { readonly id: string; readonly ref: string };
  readonly personal?: PersonalValues;
  readonly identities: readonly Identity[];
}


/** Pure: which values are personal under the policy, and their pseudonyms. */
export function protectRequest(request: DecisionRequest, policy: PrivacyPolicy, pseudonyms: Pseudonymizer): ProtectedRequest {
  const stored: Record<string, unknown> = { ...request };
  const personal: Record<string, unknown> = {};
  const identities: Identity[] = [];
  for (const field of PERSONAL_FIELDS) {
    const value = request[field];
    if (value === undefined || !isPersonalField(field, policy)) continue;
    const pseudonym = pseudonyms.field(field, value);
    stored[field] = pseudonym;
    personal[field] = value;
    identities.push({ pseudonym, field, value: JSON.stringify(value) });
  }
  if (request.attributes && policy.personalAttributes.length > 0) {
    const attributes: Record<string, AttributeValue> = { ...request.attributes };
    const clear: Record<string, AttributeValue> = {};
    for (const name of policy.personalAttributes) {
      const value = request.attributes[name];
      if (value === undefined) continue;
      const pseudonym = pseudonyms.attribute(name, value);
      attributes[name] = pseudonym;
      clear[name] = value;
      identities.push({ pseudonym, field: `attributes.${name}`, value: JSON.stringify(value) });
    }
    if (Object.keys(clear).length > 0) {
      stored.attributes = attributes;
      personal.attributes = clear;
    }
  }
  if (identities.length === 0) return { stored: request, identities };
  const id = request.customerId ?? request.cardId;
  return { stored: stored as DecisionRequest, subject: { id, ref: pseudonyms.subject(id) }, personal: personal as PersonalValues, identities };
}

/**
 * Seals a request's personal values under its subject's key, bound to the decision. Keys in canonical order: the
 * decision's event holds the envelope as it is (withPersonal), and sorting the event then copies nothing.
 */
export function sealPersonal(personal: PersonalValues, subjectRef: string, key: { keyId: string; key: Buffer }, decisionId: string): PersonalEnvelope {
  const { data, iv } = seal(key.key, canonicalJson(personal), decisionId);
  return { data, iv, keyId: key.keyId, subject: subjectRef };
}

/** @throws when the key is not the envelope's (or the envelope was altered). */
export function openPersonal(envelope: PersonalEnvelope, key: Buffer, decisionId: string): PersonalValues {
  return JSON.parse(open(key, envelope, decisionId)) as PersonalValues;
}

/** The envelope opened, or undefined when it cannot be: no key (erased), or it does not authenticate under it. */
export function openPersonalOrNothing(envelope: PersonalEnvelope, key: Buffer | undefined, decisionId: string): PersonalValues | undefined {
  if (!key) return undefined;
  try {
    return openPersonal(envelope, key, decisionId);
  } catch {
    return undefined;
  }
}

/**
 * The request as a reader may see it: every pseudonym replaced by its clear value when `clear` knows it, else by
 * ERASED. Values that are not pseudonyms (older events, card tokens) are left as they are.
 */
export function revealRequest(stored: DecisionRequest, clear: ReadonlyMap<string, string>): DecisionRequest {
  const out: Record<string, unknown> = { ...stored };
  for (const field of PERSONAL_FIELDS) {
    const value = stored[field];
    if (isPseudonym(value)) out[field] = revealValue(value, clear);
  }
  if (stored.attributes) {
    let attributes: Record<string, AttributeValue> | undefined;
    for (const [name, value] of Object.entries(stored.attributes)) {
      if (!isPseudonym(value)) continue;
      attributes ??= { ...stored.attributes };
      const json = clear.get(value);
      attributes[name] = json === undefined ? ERASED : (JSON.parse(json) as AttributeValue);
    }
    if (attributes) out.attributes = attributes;
  }
  return out as DecisionRequest;
}

/** One value for display: its clear value, ERASED when it is a pseudonym nobody can open, or itself. */
export function revealValue(value: string, clear: ReadonlyMap<string, string>): string {
  if (!isPseudonym(value)) return value;
  const json = clear.get(value);
  if (json === undefined) return ERASED;
  const parsed: unknown = JSON.parse(json);
  return typeof parsed === 'string' ? parsed : json;
}

/**
 * The clear value (as JSON) of each pseudonym a stored request holds, from its opened envelope: what revealRequest
 * takes. `values` undefined (the envelope's key is gone): an empty map, so every pseudonym shows as ERASED.
 */
export function envelopeValues(stored: DecisionRequest, values: PersonalValues | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!values) return out;
  for (const field of PERSONAL_FIELDS) {
    const pseudonym = stored[field];
    const value = values[field];
    if (isPseudonym(pseudonym) && value !== undefined) out.set(pseudonym, JSON.stringify(value));
  }
  for (const [name, pseudonym] of Object.entries(stored.attributes ?? {})) {
    const value = values.attributes?.[name];
    if (isPseudonym(pseudonym) && value !== undefined) out.set(pseudonym, JSON.stringify(value));
  }
  return out;
}

/** Every pseudonym a request holds: what a reader must look up to reveal it. */
export function pseudonymsIn(request: DecisionRequest): string[] {
  const out: string[] = [];
  for (const field of PERSONAL_FIELDS) if (isPseudonym(request[field])) out.push(request[field] as string);
  for (const value of Object.values(request.attributes ?? {})) if (isPseudonym(value)) out.push(value);
  return out;
}

/**
 * Which parts of a decision request are personal data (docs/security.md, "Erasure"). Their values are kept out of
 * the log in the clear: the event holds a keyed pseudonym in their place and the clear values sealed under the data
 * subject's key.
 */
export const PERSONAL_FIELDS = ['cardId', 'customerId', 'deviceId', 'ip'] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];

/** What the configuration says is personal beyond customerId, deviceId and ip. */
export interface PrivacyPolicy {
  /** Card ids are already tokens (not PANs): they stay in the clear and are not erased. */
  readonly cardIdsAreTokens: boolean;
  /** Request attributes whose values are personal. */
  readonly personalAttributes: readonly string[];
}

/** Whether a field's values are personal under the policy: all four are, but card ids that are already tokens. */
export const isPersonalField = (field: PersonalField, policy: PrivacyPolicy): boolean => !(field === 'cardId' && policy.cardIdsAreTokens);

/** What every read shows in place of a personal value whose subject was erased. */
export const ERASED = '[erased]';

/** A pseudonym's prefix: a value that starts with it was written by this build's pseudonymizer. */
export const PSEUDONYM_PREFIX = 'ps_';

export const isPseudonym = (value: unknown): value is string => typeof value === 'string' && value.startsWith(PSEUDONYM_PREFIX);

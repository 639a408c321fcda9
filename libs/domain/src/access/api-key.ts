import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * An API key is `vdk_<keyId>_<secret>`: the key id is public (it names the key in listings, events and logs), the
 * secret is 32 random bytes in base64url. Only a salted SHA-256 of the secret is stored: the secret has 256 bits of
 * entropy, so a slow password hash would add latency to every request and no strength.
 */
export const API_KEY_PREFIX = 'vdk_';
const KEY_ID = /^[a-z0-9]{16}$/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;

export interface ParsedApiKey {
  readonly keyId: string;
  readonly secret: string;
}

export const isApiKeyId = (value: string): boolean => KEY_ID.test(value);

/** The parts of a presented key, or null when it is not shaped like one of ours. */
export function parseApiKey(token: string): ParsedApiKey | null {
  if (!token.startsWith(API_KEY_PREFIX)) return null;
  const rest = token.slice(API_KEY_PREFIX.length);
  const keyId = rest.slice(0, 16);
  const secret = rest.slice(17);
  if (rest[16] !== '_' || !KEY_ID.test(keyId) || !SECRET.test(secret)) return null;
  return { keyId, secret };
}

export const formatApiKey = (keyId: string, secret: string): string => `${API_KEY_PREFIX}${keyId}_${secret}`;

/** The stored form: sha256(salt ‖ secret), hex. The salt is hex too. */
export function hashApiKeySecret(saltHex: string, secret: string): string {
  return createHash('sha256').update(Buffer.from(saltHex, 'hex')).update(secret, 'utf8').digest('hex');
}

/** Constant-time comparison of a presented secret with the stored hash. */
export function secretMatches(saltHex: string, storedHashHex: string, secret: string): boolean {
  const presented = Buffer.from(hashApiKeySecret(saltHex, secret), 'hex');
  const stored = Buffer.from(storedHashHex, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

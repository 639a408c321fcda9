import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../canonical-json';
import type { SealHeader } from './audit-events';

/** The bytes a seal's Ed25519 signature covers: the header's canonical JSON, UTF-8. */
export const signedBytes = (header: SealHeader): Buffer => Buffer.from(canonicalJson(header), 'utf8');

/** Ed25519 (pure, no pre-hash) over `signedBytes(header)`, base64. */
export function signSealHeader(header: SealHeader, privateKey: KeyObject): string {
  return sign(null, signedBytes(header), privateKey).toString('base64');
}

export function sealSignatureValid(header: SealHeader, signature: string, publicKey: KeyObject): boolean {
  try {
    return verify(null, signedBytes(header), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false; // a key of another type, or garbage: not a valid signature either way
  }
}

/** What the next seal chains to and what a proof's seal hashes to: sha256 of canonical JSON of { header, signature }. */
export function sealHashOf(header: SealHeader, signature: string): string {
  return createHash('sha256').update(canonicalJson({ header, signature }), 'utf8').digest('hex');
}

/** A key's id: the first 16 bytes (32 hex digits) of sha256 over its public key's SPKI DER encoding. */
export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 32);
}

/** The public key's SPKI PEM (from a public or private key). */
export function publicKeyPem(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { keyIdOf, publicKeyPem } from '@verdict/domain/audit';

/** The sealer's Ed25519 key, loaded from its PEM file. */
export interface SigningKey {
  readonly keyId: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly publicKeyPem: string;
  readonly file: string;
  /** Created by this start (first start on a fresh data directory). */
  readonly created: boolean;
}

export class SigningKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SigningKeyError';
  }
}

/**
 * Loads the key VERDICT_SEAL_KEY names. Without VERDICT_SEAL_KEY the key lives under the data directory and is created
 * on first start: PKCS#8 PEM, mode 0600 in a 0700 directory, written exclusively so two processes starting together
 * cannot each write their own. A named file that is missing is an error, never replaced: seals must not silently
 * change signer.
 */
export function loadSigningKey(file: string, createIfMissing: boolean): SigningKey {
  let created = false;
  if (!existsSync(file)) {
    if (!createIfMissing) throw new SigningKeyError(`VERDICT_SEAL_KEY: ${file} does not exist`);
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    try {
      writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
      chmodSync(file, 0o600); // the umask may have narrowed it further, never widened; make it exact
      created = true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e; // another process created it first: use theirs
    }
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(readFileSync(file));
  } catch (e) {
    throw new SigningKeyError(`${file} is not a private key in PEM form: ${(e as Error).message}`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new SigningKeyError(`${file} holds an ${privateKey.asymmetricKeyType} key; seals are signed with Ed25519`);
  const publicKey = createPublicKey(privateKey);
  return { keyId: keyIdOf(publicKey), privateKey, publicKey, publicKeyPem: publicKeyPem(publicKey), file, created };
}

import { randomBytes } from 'node:crypto';
import { closeSync, constants, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { MASTER_KEY_BYTES } from '@verdict/domain';

export class MasterKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MasterKeyError';
  }
}

/**
 * The master key: 32 random bytes, base64 on one line. Without VERDICT_MASTER_KEY it lives under the data directory
 * and is created on first start (mode 0600, exclusively: two processes starting together share one). A named file
 * that is missing is an error, never replaced: a new master key would leave every subject key unreadable.
 */
export function loadMasterKey(file: string, createIfMissing: boolean): { key: Buffer; created: boolean } {
  let created = false;
  if (!existsSync(file)) {
    if (!createIfMissing) throw new MasterKeyError(`VERDICT_MASTER_KEY: ${file} does not exist`);
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    try {
      const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
      try {
        writeSync(fd, `${randomBytes(MASTER_KEY_BYTES).toString('base64')}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      created = true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e; // another process created it first: use theirs
    }
  }
  const text = readFileSync(file, 'utf8').trim();
  const key = Buffer.from(text, 'base64');
  if (key.length !== MASTER_KEY_BYTES || key.toString('base64') !== text) {
    throw new MasterKeyError(`${file} must hold ${MASTER_KEY_BYTES} bytes in base64 on one line (openssl rand -base64 32)`);
  }
  return { key, created };
}

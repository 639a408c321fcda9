import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Where an engine on a fresh data directory writes its admin key (one line, mode 0600). */
export const adminKeyPath = (dataDir: string): string => path.join(dataDir, 'keys', 'admin.key');

/**
 * The `Authorization` header for an engine running on `dataDir`, read each call (the key appears on the first start).
 * No key file yet (an engine without API keys): no header, and the engine needs none.
 */
export function adminAuthHeaders(dataDir: string): Record<string, string> {
  let key: string;
  try {
    key = readFileSync(adminKeyPath(dataDir), 'utf8').trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw e;
  }
  return key ? { authorization: `Bearer ${key}` } : {};
}

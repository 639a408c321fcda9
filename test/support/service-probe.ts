import { spawnSync } from 'node:child_process';

export const TEST_PG_URL = process.env.VERDICT_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Synchronous TCP probe, so suites can decide what to register before Jest collects tests. Under CI a missing
 * service is a failure (the caller throws), never a skip.
 */
export function tcpReachable(url: string): boolean {
  const { hostname, port } = new URL(url);
  const probe = `const s=require('net').connect(${Number(port) || 5432},${JSON.stringify(hostname)});` +
    `s.setTimeout(2000);s.on('connect',()=>process.exit(0));s.on('error',()=>process.exit(1));s.on('timeout',()=>process.exit(1));`;
  return spawnSync(process.execPath, ['-e', probe], { timeout: 5000 }).status === 0;
}

/** true if PostgreSQL can be used; prints why not (outside CI) or throws (in CI). */
export function postgresAvailable(suite: string): boolean {
  if (tcpReachable(TEST_PG_URL)) return true;
  const reason = `${suite}: PostgreSQL is not reachable at ${TEST_PG_URL}`;
  if (process.env.CI) throw new Error(`${reason} (CI requires it)`);
  console.warn(`SKIPPED ${reason}; set VERDICT_TEST_PG_URL to run these tests.`);
  return false;
}

export const randomSchema = (prefix: string): string => `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;

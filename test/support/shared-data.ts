import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Test data kept outside the repository: `../shared/data` beside the clone, or VERDICT_SHARED_DATA_DIR. A new
 * user's clone has no such folder, so the suites that read it skip (with a printed reason) instead of failing;
 * under CI=true they must run, so its absence fails them.
 */
export const SHARED_DATA_DIR = path.resolve(
  process.env.VERDICT_SHARED_DATA_DIR ?? path.join(__dirname, '..', '..', '..', 'shared', 'data'),
);

export const sharedDataPath = (...parts: string[]): string => path.join(SHARED_DATA_DIR, ...parts);

/**
 * Whether `suite` can read the shared data (the folder, or `parts` inside it). Absent: prints why and returns false,
 * or throws under CI=true. Call it while Jest collects tests: `(sharedDataAvailable('…') ? describe : describe.skip)`.
 */
export function sharedDataAvailable(suite: string, ...parts: string[]): boolean {
  const wanted = sharedDataPath(...parts);
  if (existsSync(wanted)) return true;
  const reason = `${wanted} does not exist (test data kept outside the repository; VERDICT_SHARED_DATA_DIR names another folder)`;
  if (process.env.CI === 'true' || process.env.CI === '1') {
    throw new Error(`${suite}: ${reason}, and CI is set, so these tests must run`);
  }
  console.warn(`SKIPPED ${suite}: ${reason}.`);
  return false;
}

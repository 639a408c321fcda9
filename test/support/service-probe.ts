import { probeTestDatabase, TEST_PG_URL } from '../../libs/event-store/src/postgres/testing/postgres-test-database';

export { TEST_PG_URL };

/** true if PostgreSQL can be used; prints why not (outside CI) or throws (under CI). */
export function postgresAvailable(suite: string): boolean {
  const probe = probeTestDatabase();
  if (!probe.available) console.warn(`SKIPPED ${suite}: ${probe.reason}; set VERDICT_TEST_PG_URL to run these tests.`);
  return probe.available;
}

export const randomSchema = (prefix: string): string => `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createPostgresEventStore, type PostgresEventStore, type PostgresEventStoreOptions } from '../postgres-event-store';

/** Test-only helpers: a real PostgreSQL, isolated per test run in `verdict_t_<run>_<n>` schemas that are dropped after. */
export const TEST_PG_URL = process.env.VERDICT_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Checks synchronously (so a spec can choose describe or describe.skip while Jest collects tests) whether the test
 * database answers. Under CI=true an absent database is a failure, never a skip.
 */
export function probeTestDatabase(): { available: true } | { available: false; reason: string } {
  const probe = `const { Client } = require('pg');
    const c = new Client({ connectionString: process.env.URL, connectionTimeoutMillis: 5000 });
    c.connect().then(() => c.query('SELECT 1')).then(() => c.end()).then(
      () => process.exit(0),
      (e) => { process.stderr.write(String((e && (e.message || e.code)) || e)); process.exit(1); });`;
  const res = spawnSync(process.execPath, ['-e', probe], {
    cwd: __dirname,
    env: { ...process.env, URL: TEST_PG_URL },
    encoding: 'utf8',
    timeout: 15_000,
  });
  if (res.status === 0) return { available: true };
  const reason = `PostgreSQL at ${TEST_PG_URL} is not reachable: ${(res.stderr || res.error?.message || 'no answer').trim()}`;
  if (process.env.CI === 'true' || process.env.CI === '1') {
    throw new Error(`${reason} (CI is set, so PostgreSQL tests must run)`);
  }
  process.stderr.write(`Skipping PostgreSQL tests. ${reason}\n`);
  return { available: false, reason };
}

/** Hands out fresh schemas for one test file and drops every one of them at the end. */
export class TestSchemas {
  readonly prefix = `verdict_t_${randomBytes(5).toString('hex')}`;
  private counter = 0;

  next(): string {
    this.counter += 1;
    return `${this.prefix}_${this.counter}`;
  }

  async store(overrides: Partial<PostgresEventStoreOptions> = {}): Promise<PostgresEventStore> {
    return createPostgresEventStore({ connectionString: TEST_PG_URL, schema: this.next(), pollIntervalMs: 100, ...overrides });
  }

  async drop(schema: string): Promise<void> {
    await dropSchemas(schema);
  }

  async dropAll(): Promise<void> {
    await withClient(async (c) => {
      const res = await c.query<{ nspname: string }>(
        `SELECT nspname FROM pg_namespace WHERE nspname LIKE $1`,
        [`${this.prefix}\\_%`],
      );
      for (const { nspname } of res.rows) await c.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`);
    });
  }
}

/** Drops schemas (CASCADE) on the test database, on one connection of their own. */
export async function dropSchemas(...schemas: string[]): Promise<void> {
  await withClient(async (c) => {
    for (const schema of schemas) await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });
}

/** Runs `fn` on a brand-new connection (not from any store's pool) and closes it. */
export async function withClient<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Polls `check` until it returns true; fails with `what` after `timeoutMs`. */
export async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A gate a test opens by hand: `wait()` resolves once `open()` is called. */
export class Gate {
  private release!: () => void;
  private readonly opened = new Promise<void>((r) => (this.release = r));
  open(): void {
    this.release();
  }
  wait(): Promise<void> {
    return this.opened;
  }
}

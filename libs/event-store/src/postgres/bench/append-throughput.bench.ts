import { randomUUID } from 'node:crypto';
import { createPostgresEventStore, type PostgresEventStore } from '../postgres-event-store';
import { TEST_PG_URL, TestSchemas } from '../testing/postgres-test-database';

/**
 * Measurement, not a test: appends/s for 1000 concurrent single-event appends against VERDICT_TEST_PG_URL.
 * Run: npx jest --testMatch '**' '/postgres/bench/*.bench.ts' (see the report line it prints).
 */
const schemas = new TestSchemas();
const ROUNDS = 5;
const APPENDS = 1000;

async function round(stores: PostgresEventStore[], label: string): Promise<number> {
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: APPENDS }, (_, i) =>
      stores[i % stores.length].appendToStream(`${label}-${randomUUID()}`, [{ id: randomUUID(), type: 'Bench', data: { i } }], {
        expectedRevision: 'no_stream',
      }),
    ),
  );
  return APPENDS / (Number(process.hrtime.bigint() - started) / 1e9);
}

async function measure(label: string, pools: number): Promise<string> {
  const schema = schemas.next();
  const stores = await Promise.all(
    Array.from({ length: pools }, () => createPostgresEventStore({ connectionString: TEST_PG_URL, schema })),
  );
  try {
    await round(stores, `${label}-warmup`);
    const rates: number[] = [];
    for (let r = 0; r < ROUNDS; r++) rates.push(await round(stores, `${label}-${r}`));
    rates.sort((a, b) => a - b);
    const txs = stores.reduce((n, s) => n + s.stats().commits, 0);
    return `${label}: median ${Math.round(rates[ROUNDS >> 1])} appends/s (min ${Math.round(rates[0])}, max ${Math.round(
      rates[ROUNDS - 1],
    )}) over ${ROUNDS} rounds of ${APPENDS}; ${txs} transactions for ${(ROUNDS + 1) * APPENDS} appends`;
  } finally {
    await Promise.all(stores.map((s) => s.close()));
  }
}

it('measures append throughput', async () => {
  try {
    const lines = [await measure('1 pool', 1), await measure('4 pools', 4)];
    process.stdout.write(`\n${lines.join('\n')}\n`);
  } finally {
    await schemas.dropAll();
  }
}, 300_000);

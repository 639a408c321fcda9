import { Client } from 'pg';
import { NO_STREAM } from '@verdict/event-store';
import { dropSchemas, probeTestDatabase, TEST_PG_URL, TestSchemas, withClient } from '@verdict/event-store/postgres/testing/postgres-test-database';
import { verifyEventStore } from './verify-store';
import { readSeals } from './seal-log';
import { publishSigningKey } from './publish-key';
import { SealingCursor } from './sealing-cursor';
import { appendDecisions, sealAll, testSigner } from './testing/sealed-fixture';
import { tamperScenarios, type TamperTarget } from './testing/tamper-scenarios';

const pg = probeTestDatabase();
const describePg = pg.available ? describe : describe.skip;

/** Sealed periods on the PostgreSQL event store, tampered with through a separate connection. */
describePg('audit seals on PostgreSQL', () => {
  const schemas = new TestSchemas();
  afterAll(() => schemas.dropAll());

  describe('tampering is found and named', () => {
    tamperScenarios(async (): Promise<TamperTarget> => {
      const schema = schemas.next();
      const store = await schemas.store({ schema });
      const client = new Client({ connectionString: TEST_PG_URL });
      await client.connect();
      const t = `"${schema}".events`;
      const run = async (sql: string, params: unknown[] = []) => void (await client.query(sql, params));
      return {
        store,
        tamper: {
          updateData: (p) => run(`UPDATE ${t} SET data = jsonb_set(data, '{amount}', '1000000') WHERE position = $1`, [p.toString()]),
          deleteEvent: (p) => run(`DELETE FROM ${t} WHERE position = $1`, [p.toString()]),
          insertForged: (p, streamId) =>
            run(`INSERT INTO ${t} (position, stream_id, revision, event_id, type, data, metadata, recorded_at) VALUES ($1, $2, 0, $3, 'DecisionMade', $4, '{}', now())`, [
              p.toString(),
              streamId,
              '99999999-0000-4000-8000-000000000001',
              JSON.stringify({ transactionId: 'forged', amount: 1 }),
            ]),
          swapPositions: async (a, b) => {
            await run('BEGIN');
            await run(`UPDATE ${t} SET position = -1 WHERE position = $1`, [a.toString()]);
            await run(`UPDATE ${t} SET position = $1 WHERE position = $2`, [a.toString(), b.toString()]);
            await run(`UPDATE ${t} SET position = $1 WHERE position = -1`, [b.toString()]);
            await run('COMMIT');
          },
          // Positions are max + 1 here: a placeholder row at max + n moves the next append past the gap.
          skipPositions: async (n) => {
            await run(`INSERT INTO ${t} (position, stream_id, revision, event_id, type, data, metadata, recorded_at)
                       SELECT max(position) + $1, 'gap-placeholder', 0, gen_random_uuid(), 'Gap', '{}', '{}', now() FROM ${t}`, [n]);
          },
          setSealField: (revision, field, json) => run(`UPDATE ${t} SET data = jsonb_set(data, $1, $2::jsonb) WHERE stream_id = 'audit-seals' AND revision = $3`, [`{${field}}`, json, revision.toString()]),
          deleteSeal: (revision) => run(`DELETE FROM ${t} WHERE stream_id = 'audit-seals' AND revision = $1`, [revision.toString()]),
        },
        close: async () => {
          await client.end();
          await store.close();
        },
      };
    });
  });

  it('never seals around a transaction that holds the append lock: the seal stops below it, the next one covers it', async () => {
    const schema = schemas.next();
    const store = await schemas.store({ schema });
    const signer = testSigner();
    try {
      await appendDecisions(store, 1, 5);
      await publishSigningKey(store, signer);
      const cursor = new SealingCursor(store, signer, { maxEvents: 100 }, null);
      const writer = new Client({ connectionString: TEST_PG_URL });
      await writer.connect();
      try {
        await writer.query('BEGIN');
        const batch = [{ s: 'decision-late', e: NO_STREAM, ev: [{ id: '77777777-0000-4000-8000-000000000001', type: 'DecisionMade', data: { late: true }, metadata: {} }] }];
        const res = await writer.query<{ out_position: string }>(`SELECT out_position FROM "${schema}".append_batch($1::jsonb)`, [JSON.stringify(batch)]);
        const late = BigInt(res.rows[0].out_position);
        await cursor.catchUp(); // the late event is allocated but not committed: invisible, and nothing after it can commit
        const sealing = cursor.seal(new Date()); // its append waits for the writer's lock
        await writer.query('COMMIT');
        const first = await sealing;
        expect(first.kind === 'sealed' && first.seal.toPosition < late).toBe(true);
        await appendDecisions(store, 6, 1);
        await sealAll(store, signer, 100);
        const seals = await readSeals(store);
        const covering = seals.find((s) => s.ok && BigInt(s.seal.fromPosition) < late && late <= BigInt(s.seal.toPosition));
        expect(covering).toBeDefined();
        expect(await verifyEventStore(store)).toMatchObject({ clean: true });
      } finally {
        await writer.end();
      }
    } finally {
      await store.close();
      await dropSchemas(schema);
    }
  });
});

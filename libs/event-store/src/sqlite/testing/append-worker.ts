/**
 * Child process for the SQLite crash and multi-process tests. Run with the repo's require hook:
 *   node -r test/support/ts-register.js append-worker.ts <dbPath> <streamPrefix> <count> <lanes>
 * Appends `count` single events spread over `lanes` concurrent writers (one stream each, so group commit batches
 * them) and prints `ack <eventId> <position>` for every append the moment it is acknowledged, then `done`.
 */
import { randomUUID } from 'node:crypto';
import { SqliteEventStore } from '../sqlite-event-store';

async function main(): Promise<void> {
  const [path, prefix, countArg, lanesArg] = process.argv.slice(2);
  const count = Number(countArg);
  const lanes = Number(lanesArg);
  const store = await SqliteEventStore.open({ path });
  let issued = 0;
  const lane = async (l: number): Promise<void> => {
    let expected: bigint | 'no_stream' = 'no_stream';
    while (issued < count) {
      issued++;
      const id = randomUUID();
      const result = await store.appendToStream(`${prefix}-${l}`, [{ id, type: 'WorkerAppended', data: { lane: l } }], {
        expectedRevision: expected,
      });
      expected = result.nextExpectedRevision;
      process.stdout.write(`ack ${id} ${result.position}\n`);
    }
  };
  process.stdout.write('ready\n');
  await Promise.all(Array.from({ length: lanes }, (_, l) => lane(l)));
  await store.close();
  process.stdout.write('done\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});

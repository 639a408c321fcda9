import { setTimeout as delay } from 'node:timers/promises';
import { PostgresChangeNotifier } from './postgres-change-notifier';
import { TEST_PG_URL, probeTestDatabase, withClient } from './testing/postgres-test-database';

const db = probeTestDatabase();

/** 'woken' if the wait ends within `ms`, else 'asleep'. */
const within = (wait: Promise<void>, ms: number): Promise<'woken' | 'asleep'> =>
  Promise.race([wait.then(() => 'woken' as const), delay(ms).then(() => 'asleep' as const)]);

describe('PostgresChangeNotifier.nudge (notifyAppended)', () => {
  const opened: PostgresChangeNotifier[] = [];
  const notifier = (url: string, channel: string): PostgresChangeNotifier => {
    const n = new PostgresChangeNotifier(url, channel, 60_000);
    opened.push(n);
    return n;
  };
  const cancel = new AbortController();

  afterAll(async () => {
    cancel.abort();
    await Promise.all(opened.map((n) => n.close()));
  });

  it('wakes waiters while no LISTEN connection is up (they would sleep until their poll)', async () => {
    const n = notifier('postgres://postgres@127.0.0.1:1/unreachable', 'verdict_unreachable_events');
    const woken = n.wait(n.generation, 60_000, cancel.signal);
    await delay(50);
    n.nudge();
    expect(await within(woken, 2_000)).toBe('woken');
  });

  (db.available ? it : it.skip)('leaves waiters to NOTIFY once LISTEN is up, so a commit is not read twice', async () => {
    const channel = `verdict_nudge_${process.pid}_events`;
    const n = notifier(TEST_PG_URL, channel);
    await n.wait(n.generation, 10_000, cancel.signal); // LISTEN taking effect wakes everyone once
    const asleep = n.wait(n.generation, 60_000, cancel.signal);
    n.nudge();
    expect(await within(asleep, 300)).toBe('asleep');
    await withClient((c) => c.query(`SELECT pg_notify($1, '1')`, [channel]));
    expect(await within(asleep, 5_000)).toBe('woken');
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEngineProcess, type EngineProcess } from '../support/engine-process';

interface Ack {
  readonly transactionId: string;
  readonly decisionId: string;
  readonly position: number;
  readonly body: Record<string, unknown>;
}

const body = (i: number): Record<string, unknown> => ({
  transactionId: `crash-${i}`,
  occurredAt: '2026-11-21T09:00:00Z',
  amount: 10 + (i % 400),
  currency: 'USD',
  cardId: `card-${i % 37}`,
  merchantId: `m-${i % 11}`,
  channel: i % 3 === 0 ? 'ecom' : 'pos',
  country: 'US',
  attributes: { cardCountry: i % 9 === 0 ? 'FR' : 'US' },
});

const post = (url: string, b: unknown) =>
  fetch(`${url}/v1/decisions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });

/** The embedded default under kill -9: an acknowledged decision is never lost, and the read model recovers exactly. */
describe('crash recovery (kill -9 of the engine process, SQLite)', () => {
  let dataDir: string;
  let engine: EngineProcess | undefined;

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'verdict-crash-'));
  });
  afterAll(async () => {
    await engine?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged decision and catches the read model up without duplicates', async () => {
    engine = await startEngineProcess({ VERDICT_DATA_DIR: dataDir });
    const acks: Ack[] = [];
    let next = 0;
    let killed = false;
    const worker = async (url: string) => {
      while (!killed && next < 5000) {
        const i = next++;
        const b = body(i);
        try {
          const res = await post(url, b);
          if (res.status === 201) {
            const d = (await res.json()) as { decisionId: string; position: number };
            acks.push({ transactionId: b.transactionId as string, decisionId: d.decisionId, position: d.position, body: b });
          }
        } catch {
          // The connection died with the process: that request was never acknowledged.
        }
      }
    };
    const first = engine;
    const workers = Array.from({ length: 32 }, () => worker(first.url));
    while (acks.length < 400) await new Promise((r) => setTimeout(r, 10));
    killed = true;
    await first.kill9();
    await Promise.all(workers);
    expect(acks.length).toBeGreaterThanOrEqual(400);

    engine = await startEngineProcess({ VERDICT_DATA_DIR: dataDir });
    const url = engine.url;
    for (const ack of acks) {
      const res = await fetch(`${url}/v1/transactions/${ack.transactionId}/decision`);
      expect(res.status).toBe(200);
      const record = (await res.json()) as { decisionId: string; position: number };
      expect(record).toMatchObject({ decisionId: ack.decisionId, position: ack.position });
    }
    // A retry after the crash gets the original decision back.
    const retry = await post(url, acks[0].body);
    expect(retry.status).toBe(200);
    expect(((await retry.json()) as { decisionId: string }).decisionId).toBe(acks[0].decisionId);

    // The read model catches up: as many rows as events, each decision once.
    let ready: { checks: { eventStore: { headPosition: number }; projections: { lag: number } } };
    for (;;) {
      ready = (await (await fetch(`${url}/health/ready`)).json()) as typeof ready;
      if (ready.checks.projections.lag === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const seen = new Set<string>();
    let rows = 0;
    let cursor: string | null = null;
    do {
      const page = (await (await fetch(`${url}/v1/decisions?limit=500${cursor ? `&cursor=${cursor}` : ''}`)).json()) as {
        items: { decisionId: string }[];
        nextCursor: string | null;
      };
      for (const item of page.items) seen.add(item.decisionId);
      rows += page.items.length;
      cursor = page.nextCursor;
    } while (cursor);
    expect(rows).toBe(seen.size);
    for (const ack of acks) expect(seen.has(ack.decisionId)).toBe(true);
    // Every DecisionMade in the log is a row (the log also holds the bootstrap's two registrations, 1.0.0 and 2.0.0,
    // and its champion change).
    expect(rows).toBe(ready.checks.eventStore.headPosition - 3);
  });
});

import { startBodyServer, type BodyServer } from './testing/body-server';
import { RequestPool } from './request-pool';
import { runLoad } from './load-run';
import { simulatedRequests } from './simulated-requests';

describe('runLoad', () => {
  const seen: string[] = [];
  let server: BodyServer;
  let baseUrl: string;

  beforeAll(async () => {
    // Answers 201 for even sequence numbers and 422 for odd ones, so the counts can be checked.
    server = await startBodyServer((body, res) => {
      const { transactionId } = JSON.parse(body) as { transactionId: string };
      seen.push(transactionId);
      const n = Number(transactionId.split('-').at(-1));
      res.writeHead(n % 2 === 0 ? 201 : 422, { 'content-type': 'application/json' }).end('{}');
    });
    baseUrl = server.url;
  });

  afterAll(() => server.close());

  it('sends distinct transactions over real HTTP and counts what came back', async () => {
    const pool = RequestPool.fromRequests(simulatedRequests(3, 20), 'lr');
    const result = await runLoad({ baseUrl, path: '/v1/decisions', durationSeconds: 1, connections: 4, pool }, true);

    expect(result.responses).toBeGreaterThan(0);
    expect(new Set(seen).size).toBe(seen.length);
    const created = result.statusCounts['201'] ?? 0;
    const rejected = result.statusCounts['422'] ?? 0;
    expect(created + rejected).toBe(result.responses);
    expect(result.ok2xx).toBe(created);
    expect(result.non2xx).toBe(rejected);
    expect(result.createdIds!.size).toBe(created);
    for (const id of result.createdIds!) expect(Number(id.split('-').at(-1)) % 2).toBe(0);
    expect(result.sent).toBe(pool.count);
    expect(result.sent - result.responses).toBe(result.inFlightAtStop);
    expect(result.inFlightAtStop).toBeLessThanOrEqual(4);
    expect(result.perSecond.length).toBeGreaterThanOrEqual(1);
    expect(result.perSecond.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(result.responses);
    expect(result.decisionsPerSecond).toBeCloseTo(created / result.durationSeconds, 6);
  });
});

describe('runLoad in batches', () => {
  let server: BodyServer;
  let baseUrl: string;
  const items: string[] = [];

  beforeAll(async () => {
    // A batch route answering each item 201 (even sequence number) or 400 (odd), like POST /v1/decisions/batch.
    server = await startBodyServer((body, res) => {
      const batch = JSON.parse(body) as { items: { transactionId: string }[] };
      const results = batch.items.map((item, index) => {
        items.push(item.transactionId);
        return { index, status: Number(item.transactionId.split('-').at(-1)) % 2 === 0 ? 201 : 400 };
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ results }));
    });
    baseUrl = server.url;
  });

  afterAll(() => server.close());

  it('sends batches of distinct transactions and counts decisions item by item', async () => {
    const pool = RequestPool.fromRequests(simulatedRequests(3, 20), 'lb');
    const result = await runLoad({ baseUrl, path: '/v1/decisions/batch', durationSeconds: 1, connections: 2, pool, batchSize: 10 }, true);

    expect(result.responses).toBeGreaterThan(0);
    expect(new Set(items).size).toBe(items.length);
    // A batch in flight when the run stopped may have reached the server unanswered (one per connection at most).
    expect(items.length - result.responses * 10).toBeGreaterThanOrEqual(0);
    expect(items.length - result.responses * 10).toBeLessThanOrEqual(20);
    expect(result.sent).toBe(pool.count);
    expect(result.created).toBe(result.responses * 5);
    expect(result.createdIds!.size).toBe(result.created);
    for (const id of result.createdIds!) expect(Number(id.split('-').at(-1)) % 2).toBe(0);
    expect(result.unanswered).toBe(result.sent - result.responses * 10);
    expect(result.decisionsPerSecond).toBeCloseTo(result.created / result.durationSeconds, 6);
  });
});

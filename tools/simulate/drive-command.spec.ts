import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decisionRequestSchema } from '@verdict/domain/decision-request';
import { simulateTransactions } from '@verdict/simulator';
import { decisionsEndpoint, errorCode } from './drive-command';
import type { DriveSummary } from './drive-stats';
import { runCli } from './simulate';
import { CapturedIo } from './testing/captured-io';

type Handler = (body: unknown, res: ServerResponse, n: number) => void;

/** A real HTTP server on an ephemeral port, standing in for the engine's POST /v1/decisions. */
async function startServer(handler: Handler) {
  const received: unknown[] = [];
  const paths = new Set<string>();
  let inFlight = 0;
  let maxInFlight = 0;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('finish', () => inFlight--);
    paths.add(`${req.method} ${req.url}`);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      received.push(body);
      handler(body, res, received.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    paths,
    maxInFlight: () => maxInFlight,
    close: () => new Promise<void>((resolve, reject) => { server.closeAllConnections(); server.close((e) => (e ? reject(e) : resolve())); }),
  };
}

const OUTCOMES = ['approve', 'approve', 'review', 'decline'] as const;
const engineLike: Handler = (body, res, n) => {
  res.writeHead(201, { 'content-type': 'application/json', 'idempotent-replayed': 'false' });
  res.end(JSON.stringify({ decisionId: `d-${n}`, transactionId: (body as { transactionId: string }).transactionId, outcome: OUTCOMES[n % 4] }));
};

const drive = async (url: string, extra: string[] = []) => {
  const io = new CapturedIo();
  const code = await runCli(['drive', '--url', url, '--rate', '200', '--duration', '0.5', '--customers', '200', '--terminals', '100',
    '--id-prefix', 'test-run', '--report-interval', '0.1', '--json', ...extra], io);
  return { code, io, summary: JSON.parse(io.stdoutText) as DriveSummary };
};

describe('simulate drive', () => {
  it('streams valid simulated requests into POST /v1/decisions and reports outcomes', async () => {
    const server = await startServer(engineLike);
    try {
      const { code, io, summary } = await drive(server.url);
      expect(code).toBe(0);
      expect(summary.planned).toBe(100);
      expect(summary.sent).toBeGreaterThan(0);
      expect(summary.sent).toBeLessThanOrEqual(100);
      expect(summary.sent + summary.unsent).toBe(100);
      expect(server.received).toHaveLength(summary.sent);
      expect(summary.completed).toBe(summary.sent);
      expect(summary.succeeded).toBe(summary.sent);
      expect(summary.statuses).toEqual({ '201': summary.sent });
      const outcomeTotal = Object.values(summary.outcomes).reduce((a, b) => a + b, 0);
      expect(outcomeTotal).toBe(summary.sent);
      expect(Object.keys(summary.outcomes).every((o) => ['approve', 'review', 'decline'].includes(o))).toBe(true);
      expect(summary.latencyMs.p99).toBeGreaterThanOrEqual(summary.latencyMs.p50);
      expect([...server.paths]).toEqual(['POST /v1/decisions']);
      // Strict schema: no label leaks into the request. Arrival order may differ across connections.
      const ids = server.received.map((body) => decisionRequestSchema.parse(body).transactionId).sort();
      expect(ids).toEqual(Array.from({ length: summary.sent }, (_, i) => `test-run-${i}`).sort());
      expect(io.stderrText).toMatch(/sent \d+ done \d+/);
    } finally {
      await server.close();
    }
  });

  it('thins the traffic with --every and moves a share into the night with --night-share', async () => {
    const server = await startServer(engineLike);
    try {
      const { summary } = await drive(server.url, ['--every', '3', '--night-share', '1', '--seed', '5', '--concurrency', '1']);
      expect(summary.sent).toBeGreaterThan(0);
      const all = [...simulateTransactions({ seed: 5, customers: 200, terminals: 100, days: 5 })].map((t) => t.request);
      const received = server.received.map((body) => decisionRequestSchema.parse(body));
      received.forEach((r, i) => {
        const source = all[3 * i + 2]!;
        expect(new Date(r.occurredAt).getUTCHours()).toBeLessThan(6);
        expect({ ...r, occurredAt: source.occurredAt, transactionId: source.transactionId }).toEqual(source);
      });
    } finally {
      await server.close();
    }
  });

  it('says when it fell behind the rate asked for, and why', async () => {
    const server = await startServer((body, res, n) => setTimeout(() => engineLike(body, res, n), 100));
    try {
      const { summary } = await drive(server.url, ['--concurrency', '1']);
      expect(summary.requestedRate).toBe(200);
      expect(summary.unsent).toBeGreaterThan(0);
      expect(summary.fellBehind).toMatchObject({ reason: 'concurrency' });
      expect(summary.fellBehind!.slotWaitSeconds).toBeGreaterThan(0.2);
      expect(summary.fellBehind!.latestSendMs).toBeGreaterThan(100);

      const io = new CapturedIo();
      expect(await runCli(['drive', '--url', server.url, '--rate', '200', '--duration', '0.5', '--customers', '200', '--terminals', '100', '--concurrency', '1', '--report-interval', '0.1'], io)).toBe(0);
      expect(io.stdoutText).toMatch(/FELL BEHIND: asked for 200\/s, achieved [\d.]+\/s; \d+ of 100 planned requests unsent/);
      expect(io.stdoutText).toMatch(/the engine answered too slowly for --concurrency/);
      expect(io.stderrText).toMatch(/BEHIND by \d+ requests/);
    } finally {
      await server.close();
    }
  });

  it('stops when the simulated clock reaches the present, and says so', async () => {
    const server = await startServer(engineLike);
    try {
      // Two days ahead: a day ahead is within the engine's clock skew in the last minutes before midnight UTC.
      const ahead = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
      const { summary } = await drive(server.url, ['--start-date', ahead]);
      expect(summary.sent).toBe(0);
      expect(server.received).toHaveLength(0);
      expect(summary.reachedPresentAt?.startsWith(ahead)).toBe(true);
      expect(summary.fellBehind).toBeNull();

      const io = new CapturedIo();
      await runCli(['drive', '--url', server.url, '--rate', '200', '--duration', '0.2', '--customers', '200', '--terminals', '100', '--start-date', ahead], io);
      expect(io.stdoutText).toMatch(new RegExp(`STOPPED at the present: the next transaction occurred at ${ahead}T`));
      expect(io.stdoutText).not.toMatch(/FELL BEHIND/);
    } finally {
      await server.close();
    }
  });

  it('keeps at most --concurrency requests in flight', async () => {
    const server = await startServer((body, res, n) => setTimeout(() => engineLike(body, res, n), 15));
    try {
      const { summary } = await drive(server.url, ['--concurrency', '2']);
      expect(server.maxInFlight()).toBeLessThanOrEqual(2);
      expect(summary.sent + summary.unsent).toBe(summary.planned);
      expect(summary.completed).toBe(summary.sent);
    } finally {
      await server.close();
    }
  });

  it('counts error statuses and exits non-zero when every request failed', async () => {
    const server = await startServer((_body, res) => {
      res.writeHead(503, { 'content-type': 'application/problem+json' });
      res.end('{"type":"unavailable"}');
    });
    try {
      const { code, io, summary } = await drive(server.url);
      expect(code).toBe(1);
      expect(summary.succeeded).toBe(0);
      expect(summary.failed).toBe(summary.sent);
      expect(summary.statuses).toEqual({ '503': summary.sent });
      expect(io.stderrText).toContain('every request failed');
    } finally {
      await server.close();
    }
  });

  it('counts transport errors by code when nothing listens', async () => {
    const server = await startServer(engineLike);
    const url = server.url;
    await server.close();
    const { code, summary } = await drive(url, ['--duration', '0.1']);
    expect(code).toBe(1);
    expect(summary.errors).toEqual({ ECONNREFUSED: summary.sent });
  });

  it('rejects bad arguments as usage errors', async () => {
    const io = new CapturedIo();
    expect(await runCli(['drive', '--url', 'ftp://x', '--duration', '1'], io)).toBe(2);
    expect(io.stderrText).toContain('--url must use http');
    expect(await runCli(['drive', '--rate', '1', '--duration', '0.5'], new CapturedIo())).toBe(2);
    expect(await runCli(['drive', '--concurrency', '0'], new CapturedIo())).toBe(2);
    expect(await runCli(['drive', '--rate', 'fast'], new CapturedIo())).not.toBe(0);
    expect(await runCli(['drive', '--every', '0', '--url', 'http://127.0.0.1:1'], new CapturedIo())).toBe(2);
    expect(await runCli(['drive', '--night-share', '2', '--url', 'http://127.0.0.1:1'], new CapturedIo())).toBe(2);
  });

  it('builds the endpoint from a base URL and names transport errors', () => {
    expect(decisionsEndpoint('http://127.0.0.1:3000')).toBe('http://127.0.0.1:3000/v1/decisions');
    expect(decisionsEndpoint('https://h/api/')).toBe('https://h/api/v1/decisions');
    expect(errorCode(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } }))).toBe('ECONNRESET');
    expect(errorCode(new DOMException('t', 'TimeoutError'))).toBe('timeout');
  });
});

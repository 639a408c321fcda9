import { startBodyServer, type BodyServer } from './testing/body-server';
import { RequestPool } from './request-pool';
import { percentile } from './latency-math';
import { latencySummary, runOpenLoop } from './open-loop-run';
import { simulatedRequests } from './simulated-requests';

describe('percentile and latencySummary', () => {
  it('take the nearest rank of the sorted sample', () => {
    const sorted = Float64Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(500);
    expect(percentile(sorted, 99)).toBe(990);
    expect(percentile(sorted, 99.9)).toBe(999);
    expect(percentile(sorted, 100)).toBe(1000);
    expect(percentile(new Float64Array(0), 99)).toBe(0);
    expect(latencySummary([3, 1, 2])).toEqual({ p50: 2, p90: 3, p99: 3, p999: 3, mean: 2, max: 3 });
  });
});

describe('runOpenLoop', () => {
  const STALL_FROM_MS = 200;
  const STALL_MS = 400;
  let server: BodyServer;
  let baseUrl: string;
  let started = 0;
  const seen: string[] = [];

  beforeAll(async () => {
    // Answers 201 for even sequence numbers and 422 for odd ones; from 200 ms after the first request it holds every
    // answer until 600 ms, like a server stalled by a long GC pause.
    server = await startBodyServer((body, res) => {
      if (started === 0) started = performance.now();
      const { transactionId } = JSON.parse(body) as { transactionId: string };
      seen.push(transactionId);
      const n = Number(transactionId.split('-').at(-1));
      const answer = () => res.writeHead(n % 2 === 0 ? 201 : 422, { 'content-type': 'application/json' }).end('{}');
      const sinceStart = performance.now() - started;
      if (sinceStart >= STALL_FROM_MS && sinceStart < STALL_FROM_MS + STALL_MS) setTimeout(answer, STALL_FROM_MS + STALL_MS - sinceStart);
      else answer();
    });
    baseUrl = server.url;
  });

  afterAll(() => server.close());

  it('sends on schedule whatever the server does, and charges a stall to every request due during it', async () => {
    const pool = RequestPool.fromRequests(simulatedRequests(3, 20), 'ol');
    const result = await runOpenLoop({ baseUrl, path: '/v1/decisions', rate: 200, durationSeconds: 1, connections: 8, pool }, true);

    // Every scheduled request was sent and answered, though 8 connections at a time cannot carry a 400 ms stall.
    expect(result.sent).toBe(200);
    expect(new Set(seen).size).toBe(200);
    expect(result.responses).toBe(200);
    expect(result.unanswered).toBe(0);
    expect(result.statusCounts).toEqual({ 201: 100, 422: 100 });
    expect(result.created).toBe(100);
    expect(result.createdIds!.size).toBe(100);
    // 40% of the schedule fell due during the stall: a closed loop would have delayed only the 8 requests in flight.
    // From their scheduled times, more than one in ten waited over a quarter of the stall.
    expect(result.latencyMs.p90).toBeGreaterThan(STALL_MS / 4);
    expect(result.latencyMs.max).toBeGreaterThan(STALL_MS / 2);
    expect(result.latencyMs.p999).toBeGreaterThanOrEqual(result.latencyMs.p99);
    expect(result.decisionsPerSecond).toBe(100);
    // One second scheduled, so its p99 is the run's.
    expect(result.p99BySecond).toEqual([result.latencyMs.p99]);
    // This server reports no stages of its own.
    expect(result.tailStages).toBeNull();
  });

  it('gives each scheduled second its own p99, so a stall shows in the second it fell in', async () => {
    started = 0; // the server stalls again from 200 ms after this run's first request, for 400 ms
    const pool = RequestPool.fromRequests(simulatedRequests(3, 20), 'ol2');
    const result = await runOpenLoop({ baseUrl, path: '/v1/decisions', rate: 100, durationSeconds: 2, connections: 8, pool });

    expect(result.p99BySecond).toHaveLength(2);
    const [first, second] = result.p99BySecond as [number, number];
    expect(first).toBeGreaterThan(STALL_MS / 4);
    expect(second).toBeLessThan(first);
  });
});

describe('runOpenLoop, stage by stage', () => {
  let server: BodyServer;
  afterAll(() => server?.close());

  it("splits each answer's latency into the server's stages, the rest in the server and the time outside it", async () => {
    // Holds each answer 6 ms and says 2 of them went to decide, 3 to append, and 5.5 were in the server.
    server = await startBodyServer((_body, res) => {
      setTimeout(() => res.writeHead(201, { 'content-type': 'application/json', 'server-timing': 'decide;dur=2, append;dur=3, server;dur=5.5' }).end('{}'), 6);
    });
    const pool = RequestPool.fromRequests(simulatedRequests(3, 20), 'st');
    const result = await runOpenLoop({ baseUrl: server.url, path: '/v1/decisions', rate: 200, durationSeconds: 0.5, connections: 8, pool });

    const stages = Object.fromEntries(result.tailStages!.stages.map((s) => [s.name, s]));
    expect(result.tailStages!.answers).toBe(100);
    expect(stages.decide).toEqual(expect.objectContaining({ meanAllMs: 2, meanSlowestMs: 2, p99Ms: 2 }));
    expect(stages.append).toEqual(expect.objectContaining({ meanAllMs: 3, p99Ms: 3 }));
    expect(stages['rest in the engine']).toEqual(expect.objectContaining({ meanAllMs: 0.5, p99Ms: 0.5 }));
    // The 6 ms held plus the network, less the 5.5 the server named.
    expect(stages['outside the engine'].meanAllMs).toBeGreaterThanOrEqual(0.5);
    expect(stages.whole.meanAllMs).toBeGreaterThanOrEqual(6);
    expect(stages.late.meanAllMs).toBeGreaterThanOrEqual(0);
  });
});

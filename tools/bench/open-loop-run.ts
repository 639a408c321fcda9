import http from 'node:http';
import type { LatencySummary, LoadResult } from './load-run';
import type { RequestPool } from './request-pool';
import { mean, percentile, roundMs as round } from './latency-math';
import { parseServerTiming, tailStages, type StageSample } from './tail-stages';

export interface OpenLoopOptions {
  /** Base URL of the server, e.g. http://127.0.0.1:3000 */
  readonly baseUrl: string;
  readonly path: string;
  /** Requests per second, sent on a fixed schedule whatever the server does. */
  readonly rate: number;
  readonly durationSeconds: number;
  /** Keep-alive connections at most; a request due while all are busy waits for one (and that wait counts). */
  readonly connections: number;
  readonly pool: RequestPool;
  /** Sent with every request (the engine's Authorization). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Milliseconds before a request counts as timed out. */
  readonly timeoutMs?: number;
}

/** How often the scheduler wakes to send what has fallen due. */
const TICK_MS = 1;

export function latencySummary(latencies: readonly number[]): LatencySummary {
  const sorted = Float64Array.from(latencies).sort();
  return {
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    p99: round(percentile(sorted, 99)),
    p999: round(percentile(sorted, 99.9)),
    mean: round(mean(latencies)),
    max: round(sorted.length ? sorted[sorted.length - 1] : 0),
  };
}

/**
 * Open-loop load: request i is due at start + i / rate, and its latency runs from that scheduled time to the end of
 * its response. A closed loop (autocannon's) sends less while the server stalls, so a stall delays few measured
 * requests: coordinated omission. Here every request that fell due during a stall carries the stall in its latency,
 * including time spent waiting for a free connection or for this process's own timer.
 */
export async function runOpenLoop(options: OpenLoopOptions, collectCreatedIds = false): Promise<LoadResult> {
  const { pool, rate, durationSeconds } = options;
  const url = new URL(options.path, options.baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const total = Math.round(rate * durationSeconds);
  const latencies: number[] = [];
  const statusCounts: Record<string, number> = {};
  const perSecond = new Array<number>(Math.ceil(durationSeconds)).fill(0);
  // 2xx latencies by the second each request was due in: where in the run the tail sits (one stall, or all along).
  const bySecond = Array.from({ length: Math.ceil(durationSeconds) }, () => [] as number[]);
  const created = new Set<string>();
  const stageSamples: StageSample[] = [];
  let sent = 0;
  let answered = 0;
  let errors = 0;
  let timeouts = 0;
  let ok2xx = 0;
  let createdCount = 0;
  let outstanding = 0;
  const start = performance.now();

  const send = (due: number, done: () => void): void => {
    const { transactionId, body } = pool.next();
    const started = performance.now();
    sent++;
    outstanding++;
    const finish = (): void => {
      outstanding--;
      done();
    };
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...options.headers } },
      (res) => {
        res.resume();
        res.on('end', () => {
          const latency = performance.now() - due;
          const status = res.statusCode ?? 0;
          answered++;
          statusCounts[status] = (statusCounts[status] ?? 0) + 1;
          if (status >= 200 && status < 300) {
            ok2xx++;
            latencies.push(latency);
            stageSamples.push({ totalMs: latency, lateMs: started - due, serverMs: parseServerTiming(res.headers['server-timing'] as string | undefined) });
            bySecond[Math.min(bySecond.length - 1, Math.floor((due - start) / 1000))]?.push(latency);
            const second = Math.floor((performance.now() - start) / 1000);
            if (second < perSecond.length) perSecond[second]++;
          }
          if (status === 201) createdCount++;
          if (collectCreatedIds && status === 201) created.add(transactionId);
          finish();
        });
        res.on('error', () => {
          errors++;
          finish();
        });
      },
    );
    req.setTimeout(options.timeoutMs ?? 30_000, () => {
      timeouts++;
      req.destroy(new Error('timeout'));
    });
    req.on('error', () => {
      errors++;
      finish();
    });
    req.end(body);
  };

  await new Promise<void>((resolve) => {
    let scheduled = 0;
    let sendingDone = false;
    const maybeResolve = (): void => {
      if (sendingDone && outstanding === 0) resolve();
    };
    const timer = setInterval(() => {
      const now = performance.now();
      while (scheduled < total) {
        const due = start + (scheduled * 1000) / rate;
        if (due > now) break;
        scheduled++;
        send(due, maybeResolve);
      }
      if (scheduled >= total) {
        clearInterval(timer);
        sendingDone = true;
        maybeResolve();
      }
    }, TICK_MS);
  });
  agent.destroy();
  const elapsedSeconds = (performance.now() - start) / 1000;
  return {
    durationSeconds: elapsedSeconds,
    connections: options.connections,
    sent,
    statusCounts,
    responses: answered,
    ok2xx,
    non2xx: answered - ok2xx,
    errors,
    timeouts,
    inFlightAtStop: 0,
    created: createdCount,
    unanswered: sent - answered,
    // The schedule fixes the offered rate; what was achieved is 2xx answers over the scheduled duration.
    decisionsPerSecond: ok2xx / durationSeconds,
    latencyMs: latencySummary(latencies),
    perSecond,
    // A second without one 2xx answer has no p99: null, never 0, which would read as the best second.
    p99BySecond: bySecond.map((second) => (second.length === 0 ? null : round(percentile(Float64Array.from(second).sort(), 99)))),
    tailStages: tailStages(stageSamples),
    createdIds: collectCreatedIds ? created : undefined,
  };
}

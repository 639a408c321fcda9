import autocannon from 'autocannon';
import type { RequestPool } from './request-pool';

export interface LoadOptions {
  /** Base URL of the server, e.g. http://127.0.0.1:3000 */
  readonly baseUrl: string;
  readonly path: string;
  readonly durationSeconds: number;
  readonly connections: number;
  readonly pool: RequestPool;
  /** Seconds before autocannon counts a request as timed out. */
  readonly timeoutSeconds?: number;
}

export interface LatencySummary {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly mean: number;
  readonly max: number;
}

export interface LoadResult {
  readonly durationSeconds: number;
  readonly connections: number;
  /** Requests written to a socket. */
  readonly sent: number;
  /** Responses received, by HTTP status. */
  readonly statusCounts: Readonly<Record<string, number>>;
  readonly responses: number;
  readonly ok2xx: number;
  readonly non2xx: number;
  /** Connection errors, timeouts included. */
  readonly errors: number;
  readonly timeouts: number;
  /** Requests sent but unanswered when the run stopped: the server may or may not have acted on them. */
  readonly inFlightAtStop: number;
  /** 2xx responses per second of the run. */
  readonly decisionsPerSecond: number;
  /** Milliseconds, over 2xx responses. */
  readonly latencyMs: LatencySummary;
  /** Responses in each second of the run, in order: shows whether throughput held or decayed. */
  readonly perSecond: readonly number[];
  /** Transaction ids answered 201 Created (only when `collectCreatedIds`). */
  readonly createdIds?: ReadonlySet<string>;
}

interface ConnectionContext {
  transactionId?: string;
}

/**
 * Drives POST load with autocannon: one request per connection at a time (no pipelining, like a real client
 * waiting for its answer), every request a fresh body from the pool.
 */
export async function runLoad(options: LoadOptions, collectCreatedIds = false): Promise<LoadResult> {
  const created = new Set<string>();
  let answered = 0;
  const { pool } = options;
  const issuedBefore = pool.count;
  // Without a callback autocannon returns its event emitter made thenable (the typings only show the promise).
  const instance = autocannon({
    url: options.baseUrl,
    connections: options.connections,
    pipelining: 1,
    duration: options.durationSeconds,
    timeout: options.timeoutSeconds ?? 30,
    requests: [
      {
        method: 'POST',
        path: options.path,
        headers: { 'content-type': 'application/json' },
        // Called once per request: a distinct transaction every time.
        setupRequest: (request, context) => {
          const next = pool.next();
          (context as ConnectionContext).transactionId = next.transactionId;
          return { ...request, body: next.body };
        },
        onResponse: (status, _body, context) => {
          answered++;
          const id = (context as ConnectionContext).transactionId;
          if (collectCreatedIds && status === 201 && id !== undefined) created.add(id);
        },
      },
    ],
  }) as unknown as autocannon.Instance & PromiseLike<autocannon.Result>;
  const perSecond: number[] = [];
  // autocannon passes { counter, bytes } for the second just ended; the typings declare no argument.
  const onTick = (...args: unknown[]): void => {
    perSecond.push((args[0] as { counter: number }).counter);
  };
  instance.on('tick', onTick);
  const result = await instance;
  // The tick fired as the run stops covers no full second; a 0 there is an artefact, not a stall.
  if (perSecond.length > 1 && perSecond[perSecond.length - 1] === 0) perSecond.pop();
  // Every setupRequest call is one request written to a socket: a closer count than autocannon's `sent`.
  const sent = pool.count - issuedBefore;
  const statusCounts: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) statusCounts[code] = stats?.count ?? 0;
  return {
    durationSeconds: result.duration,
    connections: options.connections,
    sent,
    statusCounts,
    responses: answered,
    ok2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    inFlightAtStop: Math.max(0, sent - answered - result.timeouts),
    decisionsPerSecond: result.duration > 0 ? result['2xx'] / result.duration : 0,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      mean: result.latency.average,
      max: result.latency.max,
    },
    perSecond,
    createdIds: collectCreatedIds ? created : undefined,
  };
}

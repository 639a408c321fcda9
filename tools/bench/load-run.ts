import autocannon from 'autocannon';
import type { RequestPool } from './request-pool';
import type { TailStages } from './tail-stages';

export interface LoadOptions {
  /** Base URL of the server, e.g. http://127.0.0.1:3000 */
  readonly baseUrl: string;
  readonly path: string;
  readonly durationSeconds: number;
  readonly connections: number;
  readonly pool: RequestPool;
  /** Sent with every request (the engine's Authorization). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Seconds before autocannon counts a request as timed out. */
  readonly timeoutSeconds?: number;
  /**
   * Items per request for POST /v1/decisions/batch (`{ items: [...] }`); absent: one decision per request. A batch's
   * decisions count one by one: decisions/s is items answered 201 or 200, latency is the whole batch's.
   */
  readonly batchSize?: number;
}

export interface LatencySummary {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  /** Open-loop runs only (autocannon reports no 99.9th percentile). */
  readonly p999?: number;
  readonly mean: number;
  readonly max: number;
}

export interface LoadResult {
  readonly durationSeconds: number;
  readonly connections: number;
  /** Decisions written to a socket (a batch counts its items). */
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
  /** Decisions answered 201 Created (a batch's items one by one). */
  readonly created: number;
  /** Decisions sent and never answered, timed out or cut off when the run stopped: the server may have recorded them. */
  readonly unanswered: number;
  /** 2xx responses per second of the run. */
  readonly decisionsPerSecond: number;
  /** Milliseconds, over 2xx responses. */
  readonly latencyMs: LatencySummary;
  /** Responses in each second of the run, in order: shows whether throughput held or decayed. */
  readonly perSecond: readonly number[];
  /**
   * Open loop only: the p99 (ms) of the 2xx answers to requests due in each second of the run, null for a second
   * with none. Shows whether the run's p99 comes from one stall or from every second.
   */
  readonly p99BySecond?: readonly (number | null)[];
  /** Open loop only: where the answers' time went, stage by stage (null when the server reports no stages). */
  readonly tailStages?: TailStages | null;
  /** Transaction ids answered 201 Created (only when `collectCreatedIds`). */
  readonly createdIds?: ReadonlySet<string>;
}

interface ConnectionContext {
  transactionIds?: readonly string[];
}

/** Item statuses of a batch answer (`{ results: [{ status }] }`), in order; none when the body is not one. */
function itemStatuses(body: string): number[] {
  try {
    const parsed = JSON.parse(body) as { results?: { status?: unknown }[] };
    return Array.isArray(parsed.results) ? parsed.results.map((r) => Number(r.status)) : [];
  } catch {
    return [];
  }
}

/**
 * Drives POST load with autocannon: one request per connection at a time (no pipelining, like a real client
 * waiting for its answer), every request a fresh body from the pool.
 */
export async function runLoad(options: LoadOptions, collectCreatedIds = false): Promise<LoadResult> {
  const created = new Set<string>();
  let answered = 0;
  let decided = 0;
  let createdCount = 0;
  const { pool, batchSize } = options;
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
        headers: { 'content-type': 'application/json', ...options.headers },
        // Called once per request: a distinct transaction every time.
        setupRequest: (request, context) => {
          const items = Array.from({ length: batchSize ?? 1 }, () => pool.next());
          (context as ConnectionContext).transactionIds = items.map((i) => i.transactionId);
          const body = batchSize === undefined ? items[0].body : `{"items":[${items.map((i) => i.body).join(',')}]}`;
          return { ...request, body };
        },
        onResponse: (status, body, context) => {
          answered++;
          const ids = (context as ConnectionContext).transactionIds ?? [];
          if (batchSize === undefined) {
            if (status >= 200 && status < 300) decided++;
            if (status === 201) createdCount++;
            if (collectCreatedIds && status === 201 && ids[0] !== undefined) created.add(ids[0]);
            return;
          }
          if (status !== 200) return;
          itemStatuses(body).forEach((s, i) => {
            if (s === 200 || s === 201) decided++;
            if (s === 201) createdCount++;
            if (collectCreatedIds && s === 201 && ids[i] !== undefined) created.add(ids[i]);
          });
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
  // Every pool.next() is one decision written to a socket: a closer count than autocannon's `sent`.
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
    inFlightAtStop: Math.max(0, Math.round(sent / (batchSize ?? 1)) - answered - result.timeouts),
    created: createdCount,
    unanswered: Math.max(0, sent - answered * (batchSize ?? 1)),
    decisionsPerSecond: result.duration > 0 ? decided / result.duration : 0,
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

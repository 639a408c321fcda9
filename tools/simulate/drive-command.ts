import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DecisionRequest } from '@verdict/domain/decision-request';
import { CLOCK_SKEW_MS } from '@verdict/domain/date-time';
import { nightShift, simulateTransactions, type SimulationOptions, type TransactionLabel } from '@verdict/simulator';
import { ChargebackFeed, type ChargebackStats } from './chargeback-feed';
import { CliUsageError, type CliIo } from './cli-io';
import { DriveStats, type DriveSummary } from './drive-stats';

export interface DriveOptions {
  /** Base URL of a running engine, e.g. http://127.0.0.1:3000 */
  readonly url: string;
  /** Target requests per second (open loop: the schedule does not wait for answers). */
  readonly rate: number;
  readonly durationSeconds: number;
  /** Most requests in flight at once; further sends wait for a free slot. */
  readonly concurrency: number;
  /** Simulation behind the traffic; `days` defaults to "as many as the run needs". */
  readonly simulation: SimulationOptions;
  /** transactionId prefix: a fresh one per run keeps the engine from answering with idempotent replays. */
  readonly idPrefix: string;
  readonly reportIntervalMs: number;
  readonly requestTimeoutMs: number;
  /** Send each decided fraudulent transaction's chargeback as a label once the simulated clock reaches it. */
  readonly chargebacks: boolean;
  /** Send every n-th simulated transaction (default 1): a short run then spans more simulated days. */
  readonly every?: number;
  /** Share of the requests moved into the night of their day (default 0): a drifted population (docs/monitoring.md). */
  readonly nightShare?: number;
  /** Sent as `Authorization: Bearer <apiKey>`: a key with `decide` (and `analyze`, for chargebacks). */
  readonly apiKey?: string;
}

const DECISIONS_PATH = '/v1/decisions';
const LABELS_PATH = '/v1/labels/batch';

export function decisionsEndpoint(baseUrl: string): string {
  return endpoint(baseUrl, DECISIONS_PATH);
}

function endpoint(baseUrl: string, path: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new CliUsageError(`--url must be an absolute http(s) URL, got ${JSON.stringify(baseUrl)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliUsageError(`--url must use http or https, got ${url.protocol}`);
  return url.origin + url.pathname.replace(/\/+$/, '') + path;
}

function validate(o: DriveOptions): number {
  if (!(o.rate > 0) || !Number.isFinite(o.rate)) throw new CliUsageError(`--rate must be a positive number, got ${o.rate}`);
  if (!(o.durationSeconds > 0) || !Number.isFinite(o.durationSeconds)) throw new CliUsageError(`--duration must be a positive number of seconds, got ${o.durationSeconds}`);
  if (!Number.isInteger(o.concurrency) || o.concurrency < 1) throw new CliUsageError(`--concurrency must be a positive integer, got ${o.concurrency}`);
  if (!/^[A-Za-z0-9._:-]{1,100}$/.test(o.idPrefix)) throw new CliUsageError(`--id-prefix may only use A-Z a-z 0-9 . _ : - (at most 100), got ${JSON.stringify(o.idPrefix)}`);
  const every = o.every ?? 1;
  if (!Number.isInteger(every) || every < 1) throw new CliUsageError(`--every must be a positive integer, got ${every}`);
  const planned = Math.floor(o.rate * o.durationSeconds);
  if (planned < 1) throw new CliUsageError('--rate × --duration must allow at least one request');
  return planned;
}

/** A stable label for a transport failure: the socket error code when there is one. */
export function errorCode(e: unknown): string {
  // Duck-typed: fetch errors may come from another realm (Jest environments), where instanceof Error fails.
  if (typeof e !== 'object' || e === null) return 'unknown';
  const { name, cause } = e as { name?: unknown; cause?: { code?: unknown } | null };
  if (name === 'TimeoutError' || name === 'AbortError') return 'timeout';
  if (cause && typeof cause.code === 'string') return cause.code;
  return typeof name === 'string' ? name : 'unknown';
}

function outcomeOf(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    const outcome = (parsed as { outcome?: unknown } | null)?.outcome;
    return typeof outcome === 'string' ? outcome : 'missing-outcome';
  } catch {
    return 'invalid-json';
  }
}

/** Streams simulated transactions into POST /v1/decisions at a fixed rate, reporting progress on stderr. */
export async function runDrive(options: DriveOptions, io: CliIo): Promise<DriveSummary & { chargebacks?: ChargebackStats }> {
  const planned = validate(options);
  const decisions = decisionsEndpoint(options.url);
  const auth: Record<string, string> = options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {};
  const feed = options.chargebacks ? new ChargebackFeed(endpoint(options.url, LABELS_PATH), options.requestTimeoutMs, auth) : null;
  const source = simulateTransactions({ days: 36_500, ...options.simulation });
  const shift = nightShift(options.nightShare ?? 0, options.simulation.seed);
  const stats = new DriveStats();
  let inFlight = 0;
  let wakeSender: (() => void) | null = null;
  const pending = new Set<Promise<void>>();

  const send = async (request: DecisionRequest, label: TransactionLabel): Promise<void> => {
    const started = performance.now();
    try {
      const res = await fetch(decisions, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify(request),
        signal: AbortSignal.timeout(options.requestTimeoutMs),
      });
      const body = await res.text();
      const ok = res.status >= 200 && res.status < 300;
      stats.recordResponse(res.status, performance.now() - started, ok ? outcomeOf(body) : null, res.headers.get('idempotent-replayed') === 'true');
      if (ok && label.isFraud && label.chargebackAt) feed?.add(request.transactionId, label.chargebackAt, label.scenario);
    } catch (e) {
      stats.recordError(errorCode(e), performance.now() - started);
    } finally {
      inFlight--;
      wakeSender?.();
      wakeSender = null;
    }
  };

  const start = performance.now();
  const deadline = start + options.durationSeconds * 1000;
  let lastReport = start;
  const reporter = setInterval(() => {
    const now = performance.now();
    const due = Math.min(planned, Math.floor(((now - start) * options.rate) / 1000));
    io.stderr.write(stats.progressLine((now - start) / 1000, (now - lastReport) / 1000, inFlight, due) + '\n');
    lastReport = now;
  }, options.reportIntervalMs);
  try {
    for (let i = 0; i < planned; i++) {
      const due = start + (i * 1000) / options.rate;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      if (inFlight >= options.concurrency) {
        const waiting = performance.now();
        while (inFlight >= options.concurrency) await new Promise<void>((resolve) => (wakeSender = resolve));
        stats.slotWaitMs += performance.now() - waiting;
      }
      const now = performance.now();
      if (now >= deadline) break;
      stats.latestSendMs = Math.max(stats.latestSendMs, now - due);
      for (let skip = 1; skip < (options.every ?? 1); skip++) source.next();
      const next = source.next();
      if (next.done) break;
      const request = { ...shift(next.value.request), transactionId: `${options.idPrefix}-${i}` };
      // Simulated time runs faster than the clock: past the present, every request would be refused.
      if (Date.parse(request.occurredAt) > Date.now() + CLOCK_SKEW_MS) {
        stats.reachedPresentAt = request.occurredAt;
        break;
      }
      // The chargebacks follow the simulated clock, which a night shift does not turn back.
      feed?.advance(next.value.request.occurredAt);
      inFlight++;
      stats.sent++;
      const p = send(request, next.value.label);
      pending.add(p);
      void p.finally(() => pending.delete(p));
    }
    await Promise.all(pending);
  } finally {
    clearInterval(reporter);
  }
  const chargebacks = await feed?.settle();
  return { ...stats.summary(planned, (performance.now() - start) / 1000, options.rate), ...(chargebacks ? { chargebacks } : {}) };
}

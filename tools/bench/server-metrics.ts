import { roundMs } from './latency-math';

/** Mean of a Prometheus histogram over the whole run, in milliseconds. */
export interface HistogramMean {
  readonly count: number;
  readonly meanMs: number;
}

/**
 * The `<name>_sum` / `<name>_count` pairs of every `*_seconds` histogram in a Prometheus text exposition (labels
 * summed). The engine's own view of where a decision's time goes (deciding vs. waiting for the durable append).
 */
export function histogramMeans(text: string): Record<string, HistogramMean> {
  const sums = new Map<string, number>();
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*_seconds)_(sum|count)(?:\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const target = m[2] === 'sum' ? sums : counts;
    target.set(m[1], (target.get(m[1]) ?? 0) + Number(m[3]));
  }
  const out: Record<string, HistogramMean> = {};
  for (const [name, count] of counts) {
    const sum = sums.get(name) ?? 0;
    out[name] = { count, meanMs: count > 0 ? Math.round((sum / count) * 1e6) / 1e3 : 0 };
  }
  return out;
}

/** The main thread's event-loop delay over a stretch of the run, in ms: how late a timer fired, beyond its interval. */
export interface EventLoopDelay {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/**
 * prom-client's default metrics sample the loop with a timer every 10 ms (its eventLoopMonitoringPrecision, which the
 * engine leaves as it is) and report each interval whole, so an idle loop reads ~10 ms.
 */
const LOOP_SAMPLING_MS = 10;

/**
 * The `*nodejs_eventloop_lag_{p50,p99,max}_seconds` gauges, less the sampling interval; undefined when absent. They
 * cover the time since the previous scrape: prom-client resets its histogram at each one.
 */
export function eventLoopDelay(text: string): EventLoopDelay | undefined {
  const stat = (name: string): number | undefined => {
    const m = new RegExp(`^[a-zA-Z_:]*nodejs_eventloop_lag_${name}_seconds(?:\\{[^}]*\\})?\\s+(\\S+)`, 'm').exec(text);
    return m ? Number(m[1]) * 1000 : undefined;
  };
  const [p50, p99, max] = [stat('p50'), stat('p99'), stat('max')];
  if (p50 === undefined || p99 === undefined || max === undefined) return undefined;
  const late = (ms: number): number => Math.max(0, roundMs(ms - LOOP_SAMPLING_MS));
  return { p50Ms: late(p50), p99Ms: late(p99), maxMs: late(max) };
}

/** GET <baseUrl>/metrics as text; undefined when the server has none (the baseline). */
export async function scrapeMetrics(baseUrl: string, headers: Record<string, string> = {}): Promise<string | undefined> {
  const res = await fetch(`${baseUrl}/metrics`, { headers, signal: AbortSignal.timeout(10_000) });
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`GET ${baseUrl}/metrics answered ${res.status}`);
  return res.text();
}

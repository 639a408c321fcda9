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

/** Scrapes GET <baseUrl>/metrics; undefined when the server has none (the baseline). */
export async function scrapeHistogramMeans(baseUrl: string, headers: Record<string, string> = {}): Promise<Record<string, HistogramMean> | undefined> {
  const res = await fetch(`${baseUrl}/metrics`, { headers, signal: AbortSignal.timeout(10_000) });
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`GET ${baseUrl}/metrics answered ${res.status}`);
  return histogramMeans(await res.text());
}

import { ConfigError } from './config-error';
import { int, list } from './env-values';

/** Drift windows tile the UTC day, so a day's windows are the same every day and longer windows add whole ones. */
export function driftWindowSeconds(env: NodeJS.ProcessEnv): number {
  const seconds = int(env, 'VERDICT_DRIFT_WINDOW_SECONDS', 3600, 1, 86400);
  if (86400 % seconds !== 0) throw new ConfigError('VERDICT_DRIFT_WINDOW_SECONDS', `must divide a day (86400) evenly, got ${seconds}`);
  return seconds;
}

/** `name=threshold` pairs, comma-separated; `off` switches a series off. */
export function driftThresholds(env: NodeJS.ProcessEnv): Record<string, number | null> {
  const perSeries: Record<string, number | null> = {};
  for (const pair of list(env, 'VERDICT_DRIFT_THRESHOLDS') ?? []) {
    const match = /^([^=\s]+)\s*=\s*(\S+)$/.exec(pair);
    const value = match?.[2] === 'off' ? null : Number(match?.[2]);
    if (!match || (value !== null && !(Number.isFinite(value) && value > 0))) {
      throw new ConfigError('VERDICT_DRIFT_THRESHOLDS', `must be comma-separated name=threshold pairs (a positive number or "off"), got "${pair}"`);
    }
    perSeries[match[1] as string] = value;
  }
  return perSeries;
}

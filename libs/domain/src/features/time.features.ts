import type { DecisionRequest } from '../decision-request';
import type { FeatureDefinition } from './feature-definition';

interface UtcParts {
  readonly occurredAt: string;
  readonly hour: number;
  readonly minuteOfDay: number;
  /** 0 = Monday … 6 = Sunday (ISO order, so the weekend is 5–6). */
  readonly dayOfWeek: number;
}

// Several features read the same timestamp; parse it once per request (re-parsed if occurredAt was replaced).
const cache = new WeakMap<DecisionRequest, UtcParts>();

function utcParts(r: DecisionRequest): UtcParts {
  let parts = cache.get(r);
  if (parts === undefined || parts.occurredAt !== r.occurredAt) {
    const d = new Date(Date.parse(r.occurredAt));
    const hour = d.getUTCHours();
    parts = { occurredAt: r.occurredAt, hour, minuteOfDay: hour * 60 + d.getUTCMinutes(), dayOfWeek: (d.getUTCDay() + 6) % 7 };
    cache.set(r, parts);
  }
  return parts;
}

/** Hours 00:00–05:59 UTC. */
export const isNightHour = (hour: number): boolean => hour < 6;

export const TIME_FEATURES: readonly FeatureDefinition[] = [
  {
    name: 'hour_of_day',
    description: 'Hour of occurredAt in UTC (0–23).',
    compute: (r) => utcParts(r).hour,
  },
  {
    name: 'minute_of_day',
    description: 'Minute of the day of occurredAt in UTC (0–1439).',
    compute: (r) => utcParts(r).minuteOfDay,
  },
  {
    name: 'day_of_week',
    description: 'Day of week of occurredAt in UTC, 0 = Monday … 6 = Sunday.',
    compute: (r) => utcParts(r).dayOfWeek,
  },
  {
    name: 'is_night',
    description: '1 when occurredAt is between 00:00 and 05:59 UTC; else 0.',
    compute: (r) => (isNightHour(utcParts(r).hour) ? 1 : 0),
  },
  {
    name: 'is_weekend',
    description: '1 on Saturday or Sunday (UTC); else 0.',
    compute: (r) => (utcParts(r).dayOfWeek >= 5 ? 1 : 0),
  },
];

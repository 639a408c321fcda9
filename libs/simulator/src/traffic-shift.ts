import type { DecisionRequest } from '@verdict/domain/decision-request';
import { Random } from './prng';
import { SimulationOptionsError } from './simulation-options';

/** The night as the demo features see it: 00:00–05:59 UTC (`is_night`). */
const NIGHT_HOURS = 6;

/**
 * A shifted population for drift demonstrations: `share` of the requests (chosen by a generator seeded with `seed`)
 * are moved into the night of their own day (00:00–05:59 UTC, minutes and seconds kept). Only the hour changes, so
 * of the demo model's features only `hour_of_day` and `is_night` shift.
 */
export function nightShift(share: number, seed: number): (request: DecisionRequest) => DecisionRequest {
  if (!(share >= 0 && share <= 1)) throw new SimulationOptionsError(`the night share must be in [0, 1], got ${share}`);
  const random = Random.forStream(seed, 'night-shift');
  return (request) => {
    if (!random.chance(share)) return request;
    const at = new Date(Date.parse(request.occurredAt));
    at.setUTCHours(random.int(0, NIGHT_HOURS - 1));
    return { ...request, occurredAt: at.toISOString().replace(/\.\d{3}Z$/, 'Z') };
  };
}

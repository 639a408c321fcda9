import type { DecisionRequest } from '@verdict/domain';
import { simulateTransactions } from '@verdict/simulator';

/**
 * The first `count` transactions of a seeded simulation: realistic, varied bodies (channels, countries, amounts,
 * some fraud), generated before the run so generation is never measured. The simulated period is far longer than
 * needed; the generator is lazy and is left as soon as the pool is full.
 */
export function simulatedRequests(seed: number, count: number): DecisionRequest[] {
  const out: DecisionRequest[] = [];
  for (const { request } of simulateTransactions({ seed, days: 365, customers: 5000, terminals: 1000 })) {
    out.push(request);
    if (out.length >= count) return out;
  }
  if (out.length === 0) throw new RangeError('the simulator produced no transactions');
  return out;
}

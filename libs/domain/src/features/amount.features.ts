import type { FeatureDefinition } from './feature-definition';

/** Amounts are in the request's currency minor-unit-free decimal form (e.g. 12.34). */
export const AMOUNT_FEATURES: readonly FeatureDefinition[] = [
  {
    name: 'amount',
    description: 'Transaction amount as sent (currency units).',
    compute: (r) => r.amount,
  },
  {
    name: 'log_amount',
    description: 'log(1 + amount): compresses the heavy right tail of amounts.',
    compute: (r) => Math.log1p(r.amount),
  },
  {
    name: 'amount_cents',
    description: 'Fractional part of the amount in cents (0–99); 0 for whole amounts.',
    // Rounding first so 12.3 (stored as 12.2999…) gives 30, not 29.
    compute: (r) => Math.round(r.amount * 100) % 100,
  },
  {
    name: 'amount_is_round',
    description: '1 when the amount is a whole multiple of 10 (≥ 10), typical of cash-out and test amounts; else 0.',
    compute: (r) => {
      const cents = Math.round(r.amount * 100);
      return cents >= 1000 && cents % 1000 === 0 ? 1 : 0;
    },
  },
  {
    name: 'amount_is_micro',
    description: '1 when the amount is below 2.00 (card-testing probes); else 0.',
    compute: (r) => (r.amount < 2 ? 1 : 0),
  },
];

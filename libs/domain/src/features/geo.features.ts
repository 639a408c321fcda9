import type { DecisionRequest } from '../decision-request';
import type { FeatureDefinition } from './feature-definition';

/** The card's home country, sent by the caller as `attributes.cardCountry` (ISO 3166-1 alpha-2). */
export function cardCountry(r: DecisionRequest): string | undefined {
  const v = r.attributes?.['cardCountry'];
  return typeof v === 'string' && v.length > 0 ? v.toUpperCase() : undefined;
}

export const GEO_FEATURES: readonly FeatureDefinition[] = [
  {
    name: 'is_foreign',
    description: '1 when the transaction country differs from attributes.cardCountry; 0 when equal or either is absent.',
    compute: (r) => {
      const home = cardCountry(r);
      return r.country !== undefined && home !== undefined && r.country !== home ? 1 : 0;
    },
  },
  {
    name: 'country_missing',
    description: '1 when the request carries no transaction country; else 0.',
    compute: (r) => (r.country === undefined ? 1 : 0),
  },
  {
    name: 'card_country_missing',
    description: '1 when attributes.cardCountry is absent; else 0.',
    compute: (r) => (cardCountry(r) === undefined ? 1 : 0),
  },
];

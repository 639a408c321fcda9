import type { FeatureDefinition } from './feature-definition';

export const IDENTITY_FEATURES: readonly FeatureDefinition[] = [
  {
    name: 'has_device',
    description: '1 when the request carries a deviceId; else 0.',
    compute: (r) => (r.deviceId !== undefined ? 1 : 0),
  },
  {
    name: 'has_ip',
    description: '1 when the request carries an IP address; else 0.',
    compute: (r) => (r.ip !== undefined ? 1 : 0),
  },
  {
    name: 'has_customer_id',
    description: '1 when the request carries a customerId; else 0.',
    compute: (r) => (r.customerId !== undefined ? 1 : 0),
  },
];

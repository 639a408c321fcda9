import type { FeatureDefinition } from './feature-definition';

/**
 * Card-network "high brand risk" merchant categories plus the categories fraudsters cash out through
 * (quasi-cash, money transfer, gambling, resellable goods).
 */
export const HIGH_RISK_MCCS: ReadonlySet<string> = new Set([
  '4829', // money transfer
  '5122', // drugs, drug proprietaries
  '5732', // electronics stores
  '5816', // digital goods: games
  '5944', // jewelry, watches
  '5962', // direct marketing: travel
  '5966', // direct marketing: outbound telemarketing
  '5967', // direct marketing: inbound teleservices
  '5993', // cigar stores
  '6051', // quasi-cash: crypto, money orders
  '6211', // securities brokers
  '6540', // stored-value card load
  '7273', // dating services
  '7995', // gambling
]);

/** Upper bounds (inclusive) of the card networks' MCC ranges; the group is the 1-based index of the range. */
const MCC_RANGE_UPPER = [1499, 2999, 3999, 4799, 4999, 5599, 5699, 7299, 7999, 8999, 9999] as const;

export function mccGroup(mcc: string | undefined): number {
  if (mcc === undefined) return 0;
  const code = Number(mcc);
  const i = MCC_RANGE_UPPER.findIndex((upper) => code <= upper);
  return i + 1;
}

export const MERCHANT_FEATURES: readonly FeatureDefinition[] = [
  {
    name: 'mcc_code',
    description: 'Merchant category code as a number (e.g. 5411); 0 when absent. Trees isolate single codes by range.',
    compute: (r) => (r.merchantCategory === undefined ? 0 : Number(r.merchantCategory)),
  },
  {
    name: 'mcc_group',
    description:
      'Card-network MCC range: 1 agricultural, 2 contractors, 3 travel & lodging, 4 transport, 5 utilities & telecom, ' +
      '6 retail, 7 clothing, 8 miscellaneous stores, 9 business services, 10 professional services, 11 government; 0 when absent.',
    compute: (r) => mccGroup(r.merchantCategory),
  },
  {
    name: 'mcc_high_risk',
    description: '1 when the MCC is in the high-risk list (money transfer, quasi-cash, gambling, electronics, jewelry…); else 0.',
    compute: (r) => (r.merchantCategory !== undefined && HIGH_RISK_MCCS.has(r.merchantCategory) ? 1 : 0),
  },
];

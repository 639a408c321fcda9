/** Real ISO 18245 merchant category codes, grouped by how the simulated merchants sell. */
export type TerminalKind = 'pos' | 'atm' | 'online';

export interface MerchantCategory {
  readonly mcc: string;
  readonly kind: TerminalKind;
  /** Relative frequency among merchants of that kind. */
  readonly weight: number;
  /** Multiplier on the customer's usual ticket size. */
  readonly ticket: number;
  /** Share of card-not-present sales taken by mail/telephone order instead of e-commerce (online only). */
  readonly motoShare: number;
  /** High-risk categories favoured by fraudsters cashing out stolen card data. */
  readonly highRisk: boolean;
  /** Big-ticket goods that are easy to resell: favoured by the large-amount fraud scenario. */
  readonly resellable: boolean;
}

const pos = (mcc: string, weight: number, ticket: number, resellable = false): MerchantCategory => ({
  mcc, kind: 'pos', weight, ticket, motoShare: 0, highRisk: false, resellable,
});
const online = (mcc: string, weight: number, ticket: number, motoShare: number, highRisk = false, resellable = false): MerchantCategory => ({
  mcc, kind: 'online', weight, ticket, motoShare, highRisk, resellable,
});

export const MERCHANT_CATEGORIES: readonly MerchantCategory[] = [
  pos('5411', 22, 1.0), // grocery stores, supermarkets
  pos('5812', 12, 1.1), // restaurants
  pos('5814', 12, 0.4), // fast food
  pos('5541', 9, 1.0), // service stations
  pos('5912', 6, 0.6), // drug stores, pharmacies
  pos('5311', 5, 1.6, true), // department stores
  pos('5651', 5, 1.5), // family clothing
  pos('5732', 3, 3.0, true), // electronics stores
  pos('5944', 1.5, 4.0, true), // jewelry, watches
  pos('4111', 6, 0.3), // commuter transport
  pos('5813', 5, 0.7), // bars, taverns
  pos('7011', 2, 3.5), // hotels, lodging
  pos('5999', 6, 1.0), // miscellaneous retail
  { mcc: '6011', kind: 'atm', weight: 1, ticket: 1, motoShare: 0, highRisk: false, resellable: false }, // ATM cash
  online('5942', 6, 0.7, 0), // book stores
  online('5691', 8, 1.5, 0.02), // clothing
  online('5732', 5, 2.5, 0.02, false, true), // electronics
  online('4899', 8, 0.4, 0), // cable, streaming, subscriptions
  online('5815', 6, 0.3, 0), // digital goods: media
  online('5817', 6, 0.3, 0), // digital goods: applications
  online('4511', 4, 4.0, 0.15), // airlines
  online('4722', 4, 3.0, 0.2), // travel agencies
  online('5999', 8, 1.0, 0.03), // miscellaneous online retail
  online('5967', 2, 0.8, 0.4, true), // direct marketing: inbound teleservices
  online('7995', 2, 1.2, 0, true), // betting, casino gambling
  online('5816', 3, 0.5, 0, true), // digital goods: games
  online('4829', 2, 2.0, 0.05, true), // money transfer
  online('6051', 1.5, 2.5, 0, true), // quasi-cash: crypto, money orders
];

export const HIGH_RISK_MCCS: readonly string[] = MERCHANT_CATEGORIES.filter((c) => c.highRisk).map((c) => c.mcc);

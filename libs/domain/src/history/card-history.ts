import { BucketSeries } from './bucket-series';
import { DistinctSeries } from './distinct-series';
import { EntityHistory } from './entity-history';
import { bucketOf } from './history-windows';

const HOUR = 3_600_000;
/** Hour buckets in "the last 24h". */
const HOURS = 24;
/** Pairs kept per card and day at most: the distinct counts saturate there. */
const MAX_MERCHANT_PAIRS = 256;
const MAX_COUNTRY_PAIRS = 64;

/** A card's history: what every entity keeps, plus its declines and where it was used over the last 24 h. */
export class CardHistory extends EntityHistory {
  // Created on first use: most cards are never declined, and a million cards pay for every empty series.
  private declines: BucketSeries | undefined;
  private merchants: DistinctSeries | undefined;
  private countries: DistinctSeries | undefined;

  /** Applies one of the card's transactions: where and when it occurred, for how much, and whether it was declined. */
  addCardTransaction(atMs: number, amount: number, merchantId: string, country: string | undefined, declined: boolean): void {
    this.add(atMs, amount);
    const hour = bucketOf(atMs, HOUR);
    (this.merchants ??= new DistinctSeries(HOURS, MAX_MERCHANT_PAIRS)).add(hour, merchantId);
    if (country !== undefined) (this.countries ??= new DistinctSeries(HOURS, MAX_COUNTRY_PAIRS)).add(hour, country);
    if (declined) (this.declines ??= new BucketSeries(HOURS)).add(hour, amount);
  }

  /** Declined transactions in the 24 hour buckets ending with the one holding `atMs`. */
  declines24h(atMs: number): number {
    return this.declines?.window(bucketOf(atMs, HOUR), HOURS).count ?? 0;
  }

  distinctMerchants24h(atMs: number): number {
    return this.merchants?.distinct(bucketOf(atMs, HOUR), HOURS) ?? 0;
  }

  /** Distinct countries of the transactions that named one. */
  distinctCountries24h(atMs: number): number {
    return this.countries?.distinct(bucketOf(atMs, HOUR), HOURS) ?? 0;
  }

  override get buckets(): number {
    return super.buckets + (this.declines?.size ?? 0) + (this.merchants?.size ?? 0) + (this.countries?.size ?? 0);
  }
}

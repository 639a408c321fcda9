import type { RecordedEventText } from './event-store.port';

/**
 * Events an adapter that reads in batches fetches first under maxChars, and at least in any batch: before it has seen
 * how large they are, about what it can hold past the cut.
 */
export const TEXT_BATCH = 32;

/**
 * ReadAllTextOptions.maxChars, checked: a positive safe integer, or undefined for no limit.
 * @throws RangeError for anything else.
 */
export function checkMaxChars(maxChars: number | undefined): number | undefined {
  if (maxChars === undefined) return undefined;
  if (!Number.isSafeInteger(maxChars) || maxChars < 1) throw new RangeError(`maxChars must be a positive integer, got ${maxChars}`);
  return maxChars;
}

/** The characters of an event that count against maxChars: its data and metadata text. */
export const textChars = (event: RecordedEventText): number => event.dataJson.length + event.metadataJson.length;

/**
 * A page's text so far, against its maxChars: `admits` says whether the next event still belongs to the page (the
 * first always does), and counts it when it does. Adapters that see events one at a time stop reading at the first no.
 */
export class TextBudget {
  private used = 0;
  private taken = 0;
  private largest = 0;

  constructor(private readonly maxChars: number | undefined) {}

  admits(event: RecordedEventText): boolean {
    const chars = textChars(event);
    if (chars > this.largest) this.largest = chars;
    if (this.taken > 0 && this.maxChars !== undefined && this.used + chars > this.maxChars) return false;
    this.used += chars;
    this.taken++;
    return true;
  }

  /**
   * How many more events of the largest size seen would still fit (at least 1; `unknown` before any was seen, and
   * Infinity without a limit): what a reader that fetches in batches may ask for next.
   */
  fitting(unknown: number): number {
    if (this.maxChars === undefined) return Number.POSITIVE_INFINITY;
    if (this.largest === 0) return unknown;
    return Math.max(1, Math.floor((this.maxChars - this.used) / this.largest));
  }
}

/**
 * A page within maxChars from a reader that fetches `limit` events after a position: in batches of about as many
 * events as still fit, sized by the largest seen (TEXT_BATCH first and at least), so that little text past the cut is
 * ever fetched.
 */
export async function pageInBatches(
  read: (after: bigint, limit: number) => Promise<RecordedEventText[]>,
  after: bigint,
  maxCount: number,
  maxChars: number,
): Promise<RecordedEventText[]> {
  const budget = new TextBudget(maxChars);
  const page: RecordedEventText[] = [];
  while (page.length < maxCount) {
    // +1: the event that ends the page comes in the same batch.
    const limit = Math.min(maxCount - page.length, Math.max(TEXT_BATCH, budget.fitting(TEXT_BATCH) + 1));
    const batch = await read(after, limit);
    for (const event of batch) {
      if (!budget.admits(event)) return page;
      page.push(event);
    }
    if (batch.length < limit) return page;
    after = (batch[batch.length - 1] as RecordedEventText).position;
  }
  return page;
}

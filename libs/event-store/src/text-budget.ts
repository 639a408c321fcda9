import type { RecordedEventText } from './event-store.port';

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

import type { Writable } from 'node:stream';
import type { LabeledTransaction } from '@verdict/simulator';

export const OUTPUT_FORMATS = ['jsonl', 'csv'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** One JSON object per line: the request's fields at the top level, plus `label`. */
const formatJsonl = (tx: LabeledTransaction): string => JSON.stringify({ ...tx.request, label: tx.label }) + '\n';

/** Flattened columns: nested objects become dotted names. Fixed up front so the header can be written first. */
export const CSV_COLUMNS = [
  'transactionId', 'occurredAt', 'amount', 'currency', 'cardId', 'merchantId', 'customerId', 'deviceId', 'ip',
  'merchantCategory', 'channel', 'country', 'attributes.cardCountry', 'label.isFraud', 'label.scenario', 'label.chargebackAt',
] as const;

const csvCell = (value: unknown): string => {
  if (value === undefined || value === null) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

const csvHeader = (): string => CSV_COLUMNS.join(',') + '\n';

export function formatCsvRow(tx: LabeledTransaction): string {
  const r = tx.request;
  return [
    r.transactionId, r.occurredAt, r.amount, r.currency, r.cardId, r.merchantId, r.customerId, r.deviceId, r.ip,
    r.merchantCategory, r.channel, r.country, r.attributes?.['cardCountry'], tx.label.isFraud, tx.label.scenario, tx.label.chargebackAt,
  ].map(csvCell).join(',') + '\n';
}

const CHUNK_CHARS = 64 * 1024;

/** Writes in ~64 KiB chunks and honours back-pressure, so piping into a slow reader does not buffer everything. */
export async function writeTransactions(
  source: Iterable<LabeledTransaction>,
  format: OutputFormat,
  out: Writable,
  onTransaction?: (tx: LabeledTransaction) => void,
): Promise<number> {
  const write = (chunk: string): Promise<void> | null => {
    if (out.write(chunk)) return null;
    return new Promise((resolve, reject) => {
      const onDrain = () => (out.off('error', onError), resolve());
      const onError = (e: Error) => (out.off('drain', onDrain), reject(e));
      out.once('drain', onDrain);
      out.once('error', onError);
    });
  };
  const format1 = format === 'csv' ? formatCsvRow : formatJsonl;
  let buffer = format === 'csv' ? csvHeader() : '';
  let count = 0;
  for (const tx of source) {
    buffer += format1(tx);
    count++;
    onTransaction?.(tx);
    if (buffer.length >= CHUNK_CHARS) {
      await write(buffer);
      buffer = '';
    }
  }
  if (buffer.length > 0) await write(buffer);
  return count;
}

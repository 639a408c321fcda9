import { createReadStream, statSync } from 'node:fs';
import { parse, type Info } from 'csv-parse';
import { SingleBar } from 'cli-progress';
import type { CliIo } from '../simulate/cli-io';
import type { ApiClient } from './api-client';

/** The CSV columns: the batch label's fields. Header names are matched exactly; order is free. */
export const LABEL_CSV_REQUIRED = ['transactionId', 'labelId', 'label', 'source', 'reportedAt'] as const;
export const LABEL_CSV_OPTIONAL = ['amount', 'note'] as const;

/** Labels per request: well under the API's 10,000 and, at ~200 bytes a label, its 8 MiB. */
const BATCH = 2_000;
const LINE_EVERY_MS = 5_000;

export interface RejectedRow {
  readonly line: number;
  readonly status: number;
  readonly reason: string;
}

export interface ImportSummary {
  readonly rows: number;
  readonly created: number;
  readonly repeated: number;
  readonly rejected: RejectedRow[];
}

export class LabelCsvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabelCsvError';
  }
}

interface BatchAnswer {
  results: { index: number; status: number; problem?: { title?: string; detail?: string; errors?: { path: string; message: string }[] } }[];
}

type Pending = { line: number; label: Record<string, unknown> };

/** One reason line for a rejected label: the problem's detail, then its field errors with the CSV column named. */
function reason(problem: BatchAnswer['results'][number]['problem']): string {
  const fields = (problem?.errors ?? []).map((e) => `${e.path.replace(/^\/labels\/\d+\/?/, '') || '(row)'}: ${e.message}`);
  return fields.length > 0 ? fields.join('; ') : (problem?.detail ?? problem?.title ?? 'rejected');
}

/** A progress bar by bytes read on a terminal, a line every few seconds otherwise. */
function progress(io: CliIo, totalBytes: number): { update(bytes: number, rows: number): void; stop(): void } {
  if (io.stderrIsTty && totalBytes > 0) {
    const bar = new SingleBar({ stream: io.stderr, format: 'labels |{bar}| {percentage}% | {rows} rows | eta {eta_formatted}', hideCursor: true });
    bar.start(totalBytes, 0, { rows: 0 });
    return { update: (bytes, rows) => bar.update(Math.min(bytes, totalBytes), { rows }), stop: () => bar.stop() };
  }
  let last = Date.now();
  return {
    update(_bytes, rows) {
      if (Date.now() - last < LINE_EVERY_MS) return;
      last = Date.now();
      io.stderr.write(`labels: ${rows} rows sent\n`);
    },
    stop: () => undefined,
  };
}

/**
 * Reads a chargeback file (CSV with a header, RFC 4180) and records its rows through POST /v1/labels/batch, in
 * batches, as it reads. Every row is answered: a row the CSV parser or the API refused is reported with its line
 * number and the reason. A store error or an unreachable engine stops the import (rows sent so far stay recorded;
 * importing the file again is safe: repeated rows are 200s).
 */
export async function importLabels(client: ApiClient, file: string, io: CliIo): Promise<ImportSummary> {
  const totalBytes = statSync(file).size;
  const bar = progress(io, totalBytes);
  const rejected: RejectedRow[] = [];
  let created = 0;
  let repeated = 0;
  let rows = 0;
  let pending: Pending[] = [];

  const send = async (): Promise<void> => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    const { body } = await client.json<BatchAnswer>('POST', '/v1/labels/batch', { labels: batch.map((p) => p.label) });
    for (const r of body.results) {
      if (r.status === 201) created++;
      else if (r.status === 200) repeated++;
      else rejected.push({ line: batch[r.index].line, status: r.status, reason: reason(r.problem) });
    }
  };

  const input = createReadStream(file);
  const parser = input.pipe(parse({ info: true, skip_empty_lines: true, relax_column_count: true, bom: true }));
  let header: string[] | undefined;
  // The parser counts lines up to the end of each record: a record starts after the previous one ended and after
  // the empty lines skipped since (a quoted field may span lines).
  let endedAt = 1;
  let emptyBefore = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      const line = endedAt + (info.empty_lines - emptyBefore);
      endedAt = info.lines;
      emptyBefore = info.empty_lines;
      if (header === undefined) {
        header = checkHeader(record);
        continue;
      }
      rows++;
      const label = toLabel(header, record);
      if (typeof label === 'string') rejected.push({ line, status: 400, reason: label });
      else pending.push({ line, label });
      if (pending.length >= BATCH) await send();
      bar.update(input.bytesRead, rows);
    }
    await send();
  } finally {
    bar.stop();
    input.destroy();
  }
  rejected.sort((a, b) => a.line - b.line);
  return { rows, created, repeated, rejected };
}

function checkHeader(header: string[]): string[] {
  const known = new Set<string>([...LABEL_CSV_REQUIRED, ...LABEL_CSV_OPTIONAL]);
  const unknown = header.filter((h) => !known.has(h));
  const missing = LABEL_CSV_REQUIRED.filter((h) => !header.includes(h));
  if (unknown.length > 0 || missing.length > 0) {
    throw new LabelCsvError(
      `the header must name the columns ${LABEL_CSV_REQUIRED.join(', ')} (and optionally ${LABEL_CSV_OPTIONAL.join(', ')})` +
        (missing.length ? `; missing: ${missing.join(', ')}` : '') +
        (unknown.length ? `; unknown: ${unknown.join(', ')}` : ''),
    );
  }
  return header;
}

/** A row as a batch label, or why it is not one (a row with another number of fields than the header). */
function toLabel(header: readonly string[], fields: readonly string[]): Record<string, unknown> | string {
  if (fields.length !== header.length) return `the row has ${fields.length} fields, the header ${header.length}`;
  const row: Record<string, string> = Object.fromEntries(header.map((h, i) => [h, fields[i]]));
  const label: Record<string, unknown> = {};
  for (const column of LABEL_CSV_REQUIRED) label[column] = row[column];
  if (row.amount !== undefined && row.amount !== '') {
    const amount = Number(row.amount);
    label.amount = Number.isFinite(amount) && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(row.amount.trim()) ? amount : row.amount;
  }
  if (row.note !== undefined && row.note !== '') label.note = row.note;
  return label;
}

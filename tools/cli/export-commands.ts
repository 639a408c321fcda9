import { createWriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { Presets, SingleBar } from 'cli-progress';
import { InvalidArgumentError, type Command } from 'commander';
import type { CliIo } from '../simulate/cli-io';
import { ApiError, type ApiClient } from './api-client';

/** The engine's header with the read model's count of matching decisions when the export began (a lower bound). */
const EXPECTED_ROWS_HEADER = 'verdict-expected-rows';
const LOG_EVERY_MS = 5_000;

export interface ExportOptions {
  readonly from?: string;
  readonly to?: string;
  readonly format: 'csv' | 'jsonl';
  readonly out: string;
  readonly cardId?: string;
  readonly customerId?: string;
  readonly merchantId?: string;
  readonly outcome?: string;
  readonly model?: string;
  readonly modelVersion?: string;
  readonly arm?: string;
}

/**
 * Counts rows as they pass: JSONL lines, or CSV records (a line break inside a quoted field is not a record end;
 * the header is not a row).
 */
class RowCounter extends Transform {
  rows = 0;
  private inQuotes = false;
  private headerPending: boolean;

  constructor(
    private readonly csv: boolean,
    private readonly onRows: (rows: number) => void,
  ) {
    super();
    this.headerPending = csv;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (this.csv && byte === 0x22) this.inQuotes = !this.inQuotes;
      else if (byte === 0x0a && !this.inQuotes) {
        if (this.headerPending) this.headerPending = false;
        else this.rows++;
      }
    }
    this.onRows(this.rows);
    done(null, chunk);
  }
}

function progress(io: CliIo, expected: number | null): { update(rows: number): void; stop(): void } {
  if (io.stderrIsTty && expected !== null && expected > 0) {
    const bar = new SingleBar({ format: 'export [{bar}] {percentage}% | {value}/{total} decisions | eta {eta_formatted}', stream: io.stderr }, Presets.shades_classic);
    bar.start(expected, 0);
    // The read model may lag: more rows than it counted stretch the bar's total rather than overflow it.
    return { update: (rows) => (rows > bar.getTotal() ? bar.setTotal(rows) : bar.update(rows)), stop: () => bar.stop() };
  }
  let last = Date.now();
  return {
    update(rows) {
      if (Date.now() - last < LOG_EVERY_MS) return;
      last = Date.now();
      io.stderr.write(`export: ${rows} decisions${expected === null ? '' : ` of about ${expected}`}\n`);
    },
    stop: () => undefined,
  };
}

/** The export's URL path and query. */
export function exportPath(o: ExportOptions): string {
  const q = new URLSearchParams({ format: o.format });
  for (const key of ['from', 'to', 'cardId', 'customerId', 'merchantId', 'outcome', 'model', 'modelVersion', 'arm'] as const) {
    const value = o[key];
    if (value !== undefined) q.set(key, value);
  }
  return `/v1/exports/decisions?${q.toString()}`;
}

/**
 * Streams an export to `<out>.partial` and renames it to `out` once the response ended cleanly. A response cut off
 * (the engine hit a store error mid-way) throws and leaves the `.partial` file: never a complete-looking file.
 */
export async function runExport(client: ApiClient, o: ExportOptions, io: CliIo): Promise<{ rows: number; expected: number | null }> {
  let response: Response;
  try {
    response = await fetch(new URL(exportPath(o), client.baseUrl), { headers: client.headers() });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`cannot reach ${client.baseUrl}: ${cause?.code ?? cause?.message ?? (e as Error).message}`);
  }
  if (!response.ok || !response.body) {
    const text = await response.text();
    const problem = (response.headers.get('content-type') ?? '').includes('json') && text ? (JSON.parse(text) as ApiError['problem']) : undefined;
    throw new ApiError(response.status, problem, response.statusText);
  }
  const header = response.headers.get(EXPECTED_ROWS_HEADER);
  const expected = header !== null && /^\d+$/.test(header) ? Number(header) : null;
  const bar = progress(io, expected);
  const counter = new RowCounter(o.format === 'csv', (rows) => bar.update(rows));
  const partial = `${o.out}.partial`;
  try {
    await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), counter, createWriteStream(partial));
  } catch (e) {
    bar.stop();
    throw new Error(`the export was cut off after ${counter.rows} decisions (${(e as Error).message}); what arrived is in ${partial}`);
  }
  bar.stop();
  await rename(partial, o.out);
  return { rows: counter.rows, expected };
}

const oneOf =
  (...values: string[]) =>
  (v: string): string => {
    if (!values.includes(v)) throw new InvalidArgumentError(`must be one of ${values.join(', ')}`);
    return v;
  };

/** `verdict export …`: decisions from the event store to a file, through the API. */
export function exportCommand(program: Command, io: CliIo, client: () => ApiClient): void {
  program
    .command('export')
    .description('export decisions (from the event store, with their seals) to a CSV or JSONL file')
    .option('--from <time>', 'decidedAt ≥ this ISO-8601 instant')
    .option('--to <time>', 'decidedAt < this ISO-8601 instant')
    .option('--format <format>', 'csv or jsonl', oneOf('csv', 'jsonl'), 'jsonl')
    .requiredOption('--out <file>', 'file to write (written as <file>.partial, renamed when complete)')
    .option('--card-id <id>')
    .option('--customer-id <id>')
    .option('--merchant-id <id>')
    .option('--outcome <outcome>', 'approve, review or decline', oneOf('approve', 'review', 'decline'))
    .option('--model <name>')
    .option('--model-version <version>')
    .option('--arm <arm>', 'champion or challenger', oneOf('champion', 'challenger'))
    .action(async (o: ExportOptions) => {
      const { rows } = await runExport(client(), o, io);
      io.stdout.write(`exported ${rows} decisions to ${o.out}\n`);
    });
}

import { SingleBar } from 'cli-progress';
import { createWriteStream, openSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { resolveSimulationOptions, simulateTransactions, type SimulationOptions } from '@verdict/simulator';
import type { CliIo } from './cli-io';
import { type OutputFormat, writeTransactions } from './transaction-writers';

export interface GenerateOptions {
  readonly simulation: SimulationOptions;
  readonly format: OutputFormat;
  /** A file path, or "-" for stdout. */
  readonly out: string;
  /** Force the progress bar even when stderr is not a terminal. */
  readonly progress: boolean;
}

export interface GenerateResult {
  readonly transactions: number;
  readonly fraud: number;
}

/** Below this estimated size a run takes about a second: a progress bar would only flicker. */
const LONG_RUN_TRANSACTIONS = 200_000;

export async function runGenerate(options: GenerateOptions, io: CliIo): Promise<GenerateResult> {
  const resolved = resolveSimulationOptions(options.simulation);
  const estimate = resolved.customers * resolved.days * 2;
  const showProgress = options.progress || (io.stderrIsTty && estimate >= LONG_RUN_TRANSACTIONS);
  const bar = showProgress
    ? new SingleBar({
        stream: io.stderr,
        format: 'simulating |{bar}| day {value}/{total} | {count} transactions, {fraud} fraud',
        hideCursor: true,
        // Forced with --progress on a pipe or file: print a line every few seconds instead of redrawing.
        noTTYOutput: !io.stderrIsTty,
        notTTYSchedule: 2000,
      })
    : null;
  const toFile = options.out !== '-';
  // Open synchronously so a bad path fails here, with its real error, before any work is done.
  const out = toFile ? createWriteStream('', { fd: openSync(options.out, 'w') }) : io.stdout;
  let streamError: Error | null = null;
  const onError = (e: Error) => (streamError ??= e);
  out.on('error', onError);
  let fraud = 0;
  let currentDate = '';
  let day = 0;
  let count = 0;
  bar?.start(resolved.days, 0, { count: 0, fraud: 0 });
  try {
    count = await writeTransactions(simulateTransactions(options.simulation), options.format, out, (tx) => {
      if (tx.label.isFraud) fraud++;
      count++;
      const date = tx.request.occurredAt.slice(0, 10);
      if (date !== currentDate) {
        if (currentDate !== '') day++;
        currentDate = date;
        bar?.update(day, { count, fraud });
      }
    });
    bar?.update(resolved.days, { count, fraud });
  } finally {
    bar?.stop();
    if (toFile) out.end();
  }
  if (toFile) await finished(out);
  out.off('error', onError);
  if (streamError) throw streamError;
  const share = count > 0 ? ((100 * fraud) / count).toFixed(2) : '0.00';
  io.stderr.write(`wrote ${count} transactions (${fraud} fraud, ${share}%) as ${options.format} to ${toFile ? options.out : 'stdout'}\n`);
  return { transactions: count, fraud };
}

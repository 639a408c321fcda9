import { existsSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import type { CliIo } from '../simulate/cli-io';
import type { ApiClient } from './api-client';
import { importLabels, LABEL_CSV_OPTIONAL, LABEL_CSV_REQUIRED, LabelCsvError, type ImportSummary } from './labels-import';
import { table } from './output';

/** Rejected rows listed in the human report (all of them are in --json). */
const LISTED = 100;

function human(s: ImportSummary): string {
  const lines = [`labels: ${s.rows} rows: ${s.created} recorded, ${s.repeated} already recorded, ${s.rejected.length} rejected`];
  if (s.rejected.length > 0) {
    lines.push(table(['LINE', 'STATUS', 'REASON'], s.rejected.slice(0, LISTED).map((r) => [String(r.line), String(r.status), r.reason])));
    if (s.rejected.length > LISTED) lines.push(`… and ${s.rejected.length - LISTED} more (--json lists them all)`);
  }
  return lines.join('\n');
}

/** `verdict labels import <file.csv>`: what became known about transactions, from a chargeback file. */
export function labelsCommands(program: Command, io: CliIo, client: () => ApiClient, json: () => boolean, setExitCode: (code: number) => void): void {
  const labels = program.command('labels').description('labels: what became known about decided transactions');
  labels
    .command('import')
    .description(
      `record the labels of a CSV file (header: ${LABEL_CSV_REQUIRED.join(', ')}, optionally ${LABEL_CSV_OPTIONAL.join(', ')}); ` +
        'rejected rows are listed with their line numbers and the exit code is 3',
    )
    .argument('<file>', 'CSV file (RFC 4180, UTF-8)', (file: string) => {
      if (!existsSync(file)) throw new InvalidArgumentError(`${file} does not exist`);
      return file;
    })
    .action(async (file: string) => {
      let summary: ImportSummary;
      try {
        summary = await importLabels(client(), file, io);
      } catch (e) {
        // A file that is not a label CSV is a usage error (2), like a bad argument.
        if (e instanceof LabelCsvError || (e as { code?: string }).code?.startsWith('CSV_')) {
          io.stderr.write(`verdict: ${file}: ${(e as Error).message}\n`);
          setExitCode(2);
          return;
        }
        throw e;
      }
      io.stdout.write(json() ? `${JSON.stringify(summary, null, 2)}\n` : `${human(summary)}\n`);
      if (summary.rejected.length > 0) setExitCode(3);
    });
}

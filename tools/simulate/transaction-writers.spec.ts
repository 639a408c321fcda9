import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { decisionRequestSchema } from '@verdict/domain/decision-request';
import { type LabeledTransaction, simulateTransactions } from '@verdict/simulator';
import { runCli } from './simulate';
import { CapturedIo } from './testing/captured-io';
import { CSV_COLUMNS, formatCsvRow, writeTransactions } from './transaction-writers';

/** RFC 4180 parser, enough to prove the writer's quoting round-trips. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\n') row.push(cell), rows.push(row), (row = []), (cell = '');
    else cell += ch;
  }
  return rows;
}

const small = { seed: 5, customers: 150, terminals: 120, days: 4 };

describe('transaction writers and the generate command', () => {
  let dir: string;
  let expected: LabeledTransaction[];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'verdict-simulate-'));
    expected = [...simulateTransactions(small)];
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const argv = (format: string, out: string) =>
    ['generate', '--seed', '5', '--customers', '150', '--terminals', '120', '--days', '4', '--format', format, '--out', out];

  it('writes JSON lines that parse back to the simulated requests and labels', async () => {
    const file = join(dir, 'tx.jsonl');
    const io = new CapturedIo();
    expect(await runCli(argv('jsonl', file), io)).toBe(0);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(expected.length);
    lines.forEach((line, i) => {
      const { label, ...request } = JSON.parse(line) as LabeledTransaction['request'] & { label: LabeledTransaction['label'] };
      expect(label).toEqual(expected[i]!.label);
      expect(decisionRequestSchema.parse(request)).toEqual(expected[i]!.request);
    });
    expect(io.stderrText).toContain(`wrote ${expected.length} transactions`);
  });

  it('writes CSV with a header and one flattened row per transaction', async () => {
    const file = join(dir, 'tx.csv');
    expect(await runCli(argv('csv', file), new CapturedIo())).toBe(0);
    const rows = parseCsv(readFileSync(file, 'utf8'));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(expected.length + 1);
    for (const row of rows) expect(row).toHaveLength(CSV_COLUMNS.length);
    const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
    rows.slice(1).forEach((row, i) => {
      const { request, label } = expected[i]!;
      expect(row[col('transactionId')]).toBe(request.transactionId);
      expect(Number(row[col('amount')])).toBe(request.amount);
      expect(row[col('deviceId')]).toBe(request.deviceId ?? '');
      expect(row[col('attributes.cardCountry')]).toBe(request.attributes!['cardCountry']);
      expect(row[col('label.isFraud')]).toBe(String(label.isFraud));
      expect(row[col('label.scenario')]).toBe(label.scenario ?? '');
      expect(row[col('label.chargebackAt')]).toBe(label.chargebackAt ?? '');
    });
  });

  it('writes the same bytes to stdout as to a file', async () => {
    const io = new CapturedIo();
    expect(await runCli(argv('jsonl', '-'), io)).toBe(0);
    expect(io.stdoutText).toBe(readFileSync(join(dir, 'tx.jsonl'), 'utf8'));
  });

  it('quotes CSV cells that need it', () => {
    const tx: LabeledTransaction = {
      request: { ...expected[0]!.request, merchantId: 'a,"b"' },
      label: { isFraud: false, scenario: null, chargebackAt: null },
    };
    expect(parseCsv(formatCsvRow(tx))[0]![CSV_COLUMNS.indexOf('merchantId')]).toBe('a,"b"');
  });

  it('waits for a slow reader instead of buffering everything', async () => {
    const out = new PassThrough({ highWaterMark: 1024 });
    let received = 0;
    const consumed = new Promise<void>((resolve) => {
      out.on('data', (c: Buffer) => (received += c.length));
      out.on('end', resolve);
    });
    const count = await writeTransactions(simulateTransactions(small), 'jsonl', out);
    out.end();
    await consumed;
    expect(count).toBe(expected.length);
    expect(received).toBe(expected.reduce((n, t) => n + Buffer.byteLength(JSON.stringify({ ...t.request, label: t.label }) + '\n'), 0));
  });

  it('reports bad options as usage errors', async () => {
    const io = new CapturedIo();
    expect(await runCli(['generate', '--days', '0', '--out', join(dir, 'x.jsonl')], io)).toBe(2);
    expect(io.stderrText).toContain('days must be an integer');
    expect(await runCli(['generate', '--format', 'xml'], new CapturedIo())).not.toBe(0);
    await expect(runCli(['generate', '--out', join(dir, 'missing', 'x.jsonl')], new CapturedIo())).rejects.toThrow(/ENOENT/);
  });

  it('shows progress on demand', async () => {
    const io = new CapturedIo();
    expect(await runCli([...argv('jsonl', join(dir, 'p.jsonl')), '--progress'], io)).toBe(0);
    expect(io.stderrText).toContain('day 4/4');
  });
});

import { DecisionMadeFixture } from '@verdict/read-models/testing/decision-made.fixture';
import { upcastDecisionMade } from '@verdict/domain';
import type { DecisionListFilter } from '../decisions/decision-queries.port';
import { CSV_COLUMNS, CSV_HEADER, csvField, csvRow, jsonlRow, matchesFilter as matchesRowFilter, rowFilter } from './export-rows';

/** Filters as a build without personal data protection applied them: the clear values only. */
const matchesFilter = (d: ReturnType<typeof decision>, filter: DecisionListFilter) => matchesRowFilter(d, rowFilter(filter, (_field, value) => value));
const decision = () => upcastDecisionMade(new DecisionMadeFixture().recorded(7n).data);

describe('export rows', () => {
  it('quotes CSV fields per RFC 4180 only when they need it', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvField('line\nfeed')).toBe('"line\nfeed"');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(0.1 + 0.2)).toBe('0.30000000000000004');
  });

  it('prefixes text cells that a spreadsheet would run as a formula with a quote, never numbers', () => {
    expect(csvField('=HYPERLINK("http://evil","x")')).toBe('"\'=HYPERLINK(""http://evil"",""x"")"');
    expect(csvField('+cmd|calc!A1')).toBe("'+cmd|calc!A1");
    expect(csvField('@SUM(1+1)')).toBe("'@SUM(1+1)");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('\t=1')).toBe("'\t=1");
    expect(csvField('\r=1')).toBe('"\'\r=1"');
    expect(csvField('a=b')).toBe('a=b');
    // One leading quote always comes off again: a value that had its own keeps it.
    expect(csvField("'=x")).toBe("''=x");
    expect(csvField("'plain")).toBe("''plain");
    expect(csvField(-12.5)).toBe('-12.5');

    const d = decision();
    const hostile = { ...d.request, cardId: '=HYPERLINK("http://evil","x")', merchantId: '+cmd|calc!A1', customerId: '@SUM(1+1)', amount: -3 };
    const row = csvRow({ ...d, transactionId: '-1', request: hostile, reasons: [{ ...d.reasons[0]!, feature: '=f', contribution: -0.25 }] }, 7n, null);
    const at = (header: string) => CSV_COLUMNS.findIndex(([h]) => h === header);
    const cells = row.slice(0, -2).split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/);
    expect(cells).toHaveLength(CSV_COLUMNS.length);
    expect(cells[at('cardId')]).toBe('"\'=HYPERLINK(""http://evil"",""x"")"');
    expect(cells[at('merchantId')]).toBe("'+cmd|calc!A1");
    expect(cells[at('customerId')]).toBe("'@SUM(1+1)");
    expect(cells[at('transactionId')]).toBe("'-1");
    expect(cells[at('topReasonFeature')]).toBe("'=f");
    expect(cells[at('amount')]).toBe('-3');
    expect(cells[at('topReasonContribution')]).toBe('-0.25');
  });

  it('writes one CRLF record per decision, a field per documented column', () => {
    const d = decision();
    expect(CSV_HEADER).toBe(`${CSV_COLUMNS.map(([h]) => h).join(',')}\r\n`);
    const row = csvRow({ ...d, request: { ...d.request, cardId: 'card,"x"' } }, 7n, { index: 3, sealHash: 'ab'.repeat(32) });
    expect(row.endsWith('\r\n')).toBe(true);
    expect(row).toContain(',"card,""x""",');
    expect(row.startsWith(`${d.decisionId},${d.transactionId},${d.decidedAt},7,`)).toBe(true);
    expect(row.endsWith(`,3,${'ab'.repeat(32)}\r\n`)).toBe(true);
    expect(csvRow(d, 7n, null).endsWith(',,\r\n')).toBe(true);
    expect(row).toContain(`,${d.reasons[0]!.feature},${d.reasons[0]!.contribution},`);
    expect(csvRow({ ...d, reasons: [] }, 7n, null)).toContain(`,${d.deployment.revision},,,,\r\n`);
  });

  it('writes JSONL as the whole event plus position and seal', () => {
    const d = decision();
    const json = JSON.stringify(d);
    expect(JSON.parse(jsonlRow(12345678901234567n, null, json))).toEqual({ ...d, position: '12345678901234567', seal: null });
    expect(JSON.parse(jsonlRow(7n, { index: 0, sealHash: 'ff'.repeat(32) }, json))).toEqual({ ...d, position: '7', seal: { index: 0, sealHash: 'ff'.repeat(32) } });
    expect(jsonlRow(7n, null, json).split('\n')).toHaveLength(2);
  });

  it('splices the stored text of the event as it is, in the canonical form or in jsonb\'s', () => {
    const d = decision();
    const spaced = JSON.stringify(d, null, 1).replace(/\n/g, '');
    for (const stored of [JSON.stringify(d), spaced]) {
      const row = jsonlRow(7n, null, stored);
      expect(row.startsWith(stored.slice(0, -1))).toBe(true);
      expect(JSON.parse(row)).toEqual({ ...d, position: '7', seal: null });
    }
  });

  it('filters as the read model does: from inclusive, to exclusive, model version within a model', () => {
    const d = decision();
    const at = new Date(d.decidedAt);
    expect(matchesFilter(d, { from: at })).toBe(true);
    expect(matchesFilter(d, { to: at })).toBe(false);
    expect(matchesFilter(d, { to: new Date(at.getTime() + 1) })).toBe(true);
    expect(matchesFilter(d, { cardId: d.request.cardId, outcome: d.outcome, model: d.model.name, modelVersion: d.model.version, arm: d.deployment.arm })).toBe(true);
    expect(matchesFilter(d, { modelVersion: 'other' })).toBe(false);
    expect(matchesFilter(d, { merchantId: 'nobody' })).toBe(false);
    expect(matchesFilter(d, { customerId: 'nobody' })).toBe(false);
  });
});

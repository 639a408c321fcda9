import { CsvParseError, parseCsv } from './csv-parser';

describe('parseCsv', () => {
  it('parses quoted fields with commas, escaped quotes and line breaks', () => {
    const { header, records } = parseCsv('a,b,c\n1,"x, y",3\r\n"he said ""hi""","multi\nline",\n');
    expect(header).toEqual(['a', 'b', 'c']);
    expect(records).toEqual([
      { a: '1', b: 'x, y', c: '3' },
      { a: 'he said "hi"', b: 'multi\nline', c: '' },
    ]);
  });

  it('accepts a missing final newline', () => {
    expect(parseCsv('a,b\n1,2').records).toEqual([{ a: '1', b: '2' }]);
  });

  it('rejects ragged records, stray quotes and unterminated quotes with the line number', () => {
    expect(() => parseCsv('a,b\n1,2,3\n')).toThrow(CsvParseError);
    expect(() => parseCsv('a,b\n1,x"y\n')).toThrow(/line 2/);
    expect(() => parseCsv('a,b\n1,"open\n')).toThrow(/Unterminated/);
  });
});

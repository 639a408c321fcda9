export class CsvParseError extends Error {
  readonly code = 'CSV_PARSE_ERROR';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`${message} (line ${line})`);
    this.name = 'CsvParseError';
  }
}

/**
 * RFC 4180 CSV: comma-separated, fields optionally double-quoted, "" inside quotes is a literal quote, quoted fields
 * may contain commas and line breaks; CRLF or LF record ends. Returns the header's fields as keys of every record.
 */
export function parseCsv(text: string): { header: string[]; records: Record<string, string>[] } {
  const rows = parseRows(text);
  const header = rows.shift();
  if (header === undefined) throw new CsvParseError('Empty CSV', 1);
  const records = rows.map((fields, i) => {
    if (fields.length !== header.length) {
      throw new CsvParseError(`Record has ${fields.length} fields, header has ${header.length}`, i + 2);
    }
    const record: Record<string, string> = {};
    header.forEach((name, j) => (record[name] = fields[j] as string));
    return record;
  });
  return { header, records };
}

function parseRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  let fieldStarted = false;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"') {
      if (fieldStarted) throw new CsvParseError('Quote inside an unquoted field', line);
      inQuotes = true;
      fieldStarted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
      fieldStarted = false;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      fieldStarted = false;
      line++;
    } else {
      field += c;
      fieldStarted = true;
    }
  }
  if (inQuotes) throw new CsvParseError('Unterminated quoted field', line);
  if (fieldStarted || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

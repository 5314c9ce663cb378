import { GraftError } from '../errors/graft-error';

export interface TextTableOptions {
  /** 'tsv': `label<TAB>text` per line, no header (the SMS Spam Collection's layout). 'csv': RFC 4180 with a header
   * row. Default: 'csv' for a .csv file, else 'tsv'. */
  format?: 'tsv' | 'csv';
  /** CSV columns holding the label and the text (default 'label' and 'text'). */
  labelColumn?: string;
  textColumn?: string;
}

export interface TextTable {
  texts: string[];
  labels: string[];
}

/** Texts and their labels from the contents of a TSV or CSV file; every bad line is named with its number. */
export function parseTextTable(contents: string, options: TextTableOptions & { format: 'tsv' | 'csv' }): TextTable {
  const body = contents.charCodeAt(0) === 0xfeff ? contents.slice(1) : contents;
  return options.format === 'csv' ? fromCsv(body, options) : fromTsv(body);
}

function fromTsv(contents: string): TextTable {
  const out: TextTable = { texts: [], labels: [] };
  contents.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const tab = line.indexOf('\t');
    if (tab <= 0)
      throw new GraftError(
        'INVALID_DATA',
        `expected line ${i + 1} as label<TAB>text, got ${JSON.stringify(line.slice(0, 80))}`,
      );
    out.labels.push(line.slice(0, tab));
    out.texts.push(line.slice(tab + 1));
  });
  return out;
}

function fromCsv(contents: string, options: TextTableOptions): TextTable {
  const [header, ...rows] = csvRows(contents);
  const want = [options.labelColumn ?? 'label', options.textColumn ?? 'text'];
  const at = want.map((c) => header?.indexOf(c) ?? -1);
  if (!header || at.some((k) => k < 0))
    throw new GraftError(
      'INVALID_DATA',
      `expected a CSV header with the columns ${want.map((c) => JSON.stringify(c)).join(' and ')}, got ${JSON.stringify(header ?? [])}`,
    );
  const out: TextTable = { texts: [], labels: [] };
  rows.forEach((r, i) => {
    if (r.length === 1 && r[0] === '') return;
    if (r.length !== header.length)
      throw new GraftError('INVALID_DATA', `expected ${header.length} CSV fields in row ${i + 2}, got ${r.length}`);
    out.labels.push(r[at[0]]);
    out.texts.push(r[at[1]]);
  });
  return out;
}

/** RFC 4180 fields: commas, quoted fields with "" for a quote, newlines inside quotes. */
function csvRows(s: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted && c === '"' && s[i + 1] === '"') {
      field += '"';
      i++;
    } else if (quoted) {
      if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') endField();
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      endField();
      rows.push(row);
      row = [];
    } else field += c;
  }
  if (quoted)
    throw new GraftError('INVALID_DATA', 'expected every quoted CSV field to be closed, got an open quote at the end');
  if (field !== '' || row.length > 0) {
    endField();
    rows.push(row);
  }
  return rows;
}

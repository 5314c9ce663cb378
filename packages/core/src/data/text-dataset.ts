import { GraftError } from '../errors/graft-error';
import { Dataset, type DatasetOptions } from './dataset';
import { fsReason, loadNodeFs } from './images/node-fs';
import { parseTextTable, type TextTableOptions } from './text-table';

export type { TextTableOptions } from './text-table';

/**
 * A labelled text Dataset from a `label<TAB>text` file (no header) or a CSV file with a header (Node; in a browser
 * pass the file's contents as `{ contents }`). Labels are class names, sorted, as Keras' `text_dataset_from_directory`.
 */
export async function fromTextFile(
  source: string | { contents: string },
  options: TextTableOptions & DatasetOptions = {},
): Promise<Dataset> {
  const { contents, name } = typeof source === 'string' ? await readText(source) : { ...source, name: '' };
  if (typeof contents !== 'string')
    throw new GraftError('INVALID_DATA', 'expected { contents } to hold the file as a string');
  const format = options.format ?? (/\.csv$/i.test(name) ? 'csv' : 'tsv');
  if (format !== 'tsv' && format !== 'csv')
    throw new GraftError('INVALID_OPTION', `expected format 'tsv' or 'csv', got ${JSON.stringify(format)}`);
  const table = parseTextTable(contents, { ...options, format });
  if (table.texts.length === 0)
    throw new GraftError('EMPTY_DATA', `expected at least one text in ${name || 'the contents'}, got 0`);
  return Dataset.from(table.texts, table.labels, { classNames: options.classNames });
}

async function readText(path: string): Promise<{ contents: string; name: string }> {
  const { fs } = await loadNodeFs().catch(() => {
    throw new GraftError(
      'LOAD_FAILED',
      "reading a text file from a path needs Node's fs: in a browser pass { contents }",
    );
  });
  try {
    return { contents: await fs.readFile(path, 'utf8'), name: path };
  } catch (e) {
    throw new GraftError('LOAD_FAILED', `could not read the text file ${JSON.stringify(path)}: ${fsReason(e)}`);
  }
}

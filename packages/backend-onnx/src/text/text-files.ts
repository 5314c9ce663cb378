import { describe, GraftError } from '@graftjs/core';
import { loadBytes } from '../backbone/load-bytes';
import { TextTokenizer } from './text-tokenizer';

type Where = string | URL;
type Bytes = Uint8Array | ArrayBuffer;

/** Where an ONNX text encoder's files are: a folder or base URL, or each file named. */
export type OnnxTextSource =
  | Where
  | {
      /** model.onnx: a path, a URL or its bytes. */
      model: Where | Bytes;
      /** tokenizer.json: a path, a URL, its bytes, or its parsed contents. */
      tokenizer?: Where | Bytes | object;
      /** vocab.txt (BERT's tokenizer around it), where there is no tokenizer.json. */
      vocab?: Where | Bytes;
    };

export interface TextFiles {
  model: Uint8Array;
  tokenizer: TextTokenizer;
  /** The model's location as given (what a saved model refers to), when it was given as one. */
  location: string | undefined;
  /** For messages. */
  what: string;
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

function join(base: Where, file: string): string {
  const s = String(base);
  return s.endsWith('/') || s.endsWith('\\') ? `${s}${file}` : `${s}/${file}`;
}

/** The first of the candidate files that loads; the error of the last one when none does. */
async function firstOf(base: Where, files: string[], kind: string): Promise<{ bytes: Uint8Array; file: string }> {
  let last: unknown;
  for (const file of files) {
    try {
      return { bytes: (await loadBytes(join(base, file), kind)).bytes, file };
    } catch (e) {
      last = e;
    }
  }
  throw new GraftError('LOAD_FAILED', `expected ${files.join(' or ')} in ${String(base)}: ${(last as Error).message}`);
}

function parseJson(bytes: Uint8Array, what: string): unknown {
  try {
    return JSON.parse(text(bytes));
  } catch (e) {
    throw new GraftError('INVALID_MODEL_FILE', `expected ${what} to be JSON: ${(e as Error).message}`);
  }
}

/** A folder or base URL in the layout of a Hugging Face repository (onnx/model.onnx, as transformers.js) or flat. */
async function fromFolder(base: Where, lowercase: boolean | undefined): Promise<TextFiles> {
  const model = await firstOf(base, ['onnx/model.onnx', 'model.onnx'], 'ONNX model');
  const tok = await firstOf(base, ['tokenizer.json', 'vocab.txt'], 'tokenizer');
  const tokenizer =
    tok.file === 'tokenizer.json'
      ? TextTokenizer.fromJson(parseJson(tok.bytes, join(base, tok.file)))
      : TextTokenizer.fromVocab(text(tok.bytes), { lowercase });
  return { model: model.bytes, tokenizer, location: String(base), what: join(base, model.file) };
}

async function tokenizerOf(
  src: Exclude<OnnxTextSource, Where>,
  lowercase: boolean | undefined,
): Promise<TextTokenizer> {
  const isData = (x: unknown): x is Where | Bytes =>
    typeof x === 'string' || x instanceof URL || x instanceof Uint8Array || x instanceof ArrayBuffer;
  if (src.tokenizer !== undefined && !isData(src.tokenizer)) return TextTokenizer.fromJson(src.tokenizer);
  if (src.tokenizer !== undefined) {
    const { bytes, what } = await loadBytes(src.tokenizer, 'tokenizer.json');
    return TextTokenizer.fromJson(parseJson(bytes, what));
  }
  if (src.vocab !== undefined)
    return TextTokenizer.fromVocab(text((await loadBytes(src.vocab, 'vocab.txt')).bytes), { lowercase });
  throw new GraftError('INVALID_OPTION', 'expected a tokenizer (tokenizer.json) or a vocab (vocab.txt) with the model');
}

/** Reads the model and its tokenizer; nothing is opened yet. */
export async function textFiles(src: OnnxTextSource, lowercase: boolean | undefined): Promise<TextFiles> {
  if (typeof src === 'string' || src instanceof URL) {
    if (String(src).length === 0) throw new GraftError('INVALID_OPTION', 'expected a folder, a URL or files, got ""');
    return fromFolder(src, lowercase);
  }
  if (typeof src !== 'object' || src === null || !('model' in src))
    throw new GraftError(
      'INVALID_OPTION',
      `expected a folder, a URL, or { model, tokenizer | vocab }, got ${describe(src)}`,
    );
  const tokenizer = await tokenizerOf(src, lowercase);
  const { bytes, what } = await loadBytes(src.model, 'ONNX model');
  const location = typeof src.model === 'string' || src.model instanceof URL ? String(src.model) : undefined;
  return { model: bytes, tokenizer, location, what };
}

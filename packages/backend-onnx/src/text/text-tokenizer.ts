import { describe, GraftError } from '@graftjs/core';
import { Tokenizer } from '@huggingface/tokenizers';
import { bertTokenizerJson } from './vocab-txt';

/** One text as the encoder feeds it: ids with the special tokens, and whether it was cut to fit. */
export interface EncodedText {
  ids: number[];
  typeIds: number[];
  truncated: boolean;
}

/** tokenizer.json's fields graft reads itself; the rest is the library's. */
interface TokenizerJson {
  model?: { type?: string };
  truncation?: { max_length?: number } | null;
  padding?: { pad_id?: number } | null;
}

/**
 * A Hugging Face tokenizer (tokenizer.json, read by @huggingface/tokenizers, the library transformers.js uses),
 * with truncation done here: the content is cut so that it plus the special tokens fits maxLength, as the Rust
 * tokenizers' `truncation` does for a single text ("[CLS] ... [SEP]" keeps its [SEP]).
 */
export class TextTokenizer {
  readonly padId: number;
  /** tokenizer.json's truncation.max_length, where it has one. */
  readonly maxLength: number | undefined;
  private readonly specials: number;

  private constructor(
    private readonly tok: Tokenizer,
    json: TokenizerJson,
  ) {
    this.specials = tok.post_processor ? tok.post_processor([]).tokens.length : 0;
    const pad =
      json.padding?.pad_id ?? ['[PAD]', '<pad>'].map((t) => tok.token_to_id(t)).find((id) => id !== undefined);
    this.padId = pad ?? 0;
    this.maxLength = json.truncation?.max_length;
  }

  /** From tokenizer.json's parsed contents. */
  static fromJson(json: unknown): TextTokenizer {
    const j = json as TokenizerJson;
    if (typeof json !== 'object' || json === null || typeof j.model?.type !== 'string')
      throw new GraftError(
        'INVALID_MODEL_FILE',
        `expected tokenizer.json with a "model" (e.g. {"type": "WordPiece", "vocab": {...}}), got ${describe(json)}`,
      );
    let tok: Tokenizer;
    try {
      tok = new Tokenizer(json, {});
      tok.encode('a');
    } catch (e) {
      throw new GraftError('INVALID_MODEL_FILE', `could not read tokenizer.json: ${(e as Error).message}`);
    }
    return new TextTokenizer(tok, j);
  }

  /** From vocab.txt (one piece a line, the line number is the id), with BERT's tokenizer around it. */
  static fromVocab(vocabTxt: string, options: { lowercase?: boolean } = {}): TextTokenizer {
    return TextTokenizer.fromJson(bertTokenizerJson(vocabTxt, options.lowercase ?? true));
  }

  /** The fewest tokens a text takes: the special tokens and one piece. */
  get minLength(): number {
    return this.specials + 1;
  }

  /** Ids of one text with its special tokens; content beyond maxLength is cut and `truncated` says so. */
  encode(text: string, maxLength = Number.POSITIVE_INFINITY): EncodedText {
    let tokens = this.tok.tokenize(text, { add_special_tokens: false });
    const room = maxLength - this.specials;
    const truncated = tokens.length > room;
    if (truncated) tokens = tokens.slice(0, room);
    const post = this.tok.post_processor ? this.tok.post_processor(tokens) : { tokens, token_type_ids: undefined };
    const ids = post.tokens.map((t) => {
      const id = this.tok.token_to_id(t);
      if (id === undefined)
        throw new GraftError('INVALID_MODEL_FILE', `expected tokenizer.json to give token ${JSON.stringify(t)} an id`);
      return id;
    });
    return { ids, typeIds: post.token_type_ids ?? ids.map(() => 0), truncated };
  }
}

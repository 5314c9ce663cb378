import { describe, GraftError } from '@graftjs/core';
import { Tokenizer } from '@huggingface/tokenizers';
import { bertTokenizerJson } from './vocab-txt';

/** BERT's _is_chinese_char ranges above U+FFFF. */
const SUPPLEMENTARY_CJK =
  /[\u{20000}-\u{2A6DF}\u{2A700}-\u{2B73F}\u{2B740}-\u{2B81F}\u{2B820}-\u{2CEAF}\u{2F800}-\u{2FA1F}]/gu;

/** One text as the encoder feeds it: ids with the special tokens, and whether it was cut to fit. */
export interface EncodedText {
  ids: number[];
  typeIds: number[];
  truncated: boolean;
}

/** tokenizer.json's fields graft reads itself; the rest is the library's. */
interface TokenizerJson {
  model?: { type?: string };
  normalizer?: { type?: string; handle_chinese_chars?: boolean } | null;
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
  private readonly splitSupplementaryCjk: boolean;

  private constructor(
    private readonly tok: Tokenizer,
    json: TokenizerJson,
  ) {
    this.specials = tok.post_processor ? tok.post_processor([]).tokens.length : 0;
    const pad =
      json.padding?.pad_id ?? ['[PAD]', '<pad>'].map((t) => tok.token_to_id(t)).find((id) => id !== undefined);
    this.padId = pad ?? 0;
    this.maxLength = json.truncation?.max_length;
    this.splitSupplementaryCjk = json.normalizer?.type === 'BertNormalizer' && !!json.normalizer.handle_chinese_chars;
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
    // BERT puts spaces around every CJK ideograph; the library's BertNormalizer reads UTF-16 units, so it misses
    // those outside the BMP (CJK extensions B to F, compatibility supplement): done here, on code points
    const t = this.splitSupplementaryCjk ? text.replace(SUPPLEMENTARY_CJK, ' $& ') : text;
    let tokens = this.tok.tokenize(t, { add_special_tokens: false });
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

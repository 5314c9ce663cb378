import { describe, GraftError } from '@graftjs/core';

export interface WordPieceOptions {
  /** BERT's uncased models lower-case and strip accents (default true). */
  lowercase?: boolean;
  /** Strip accents (NFD, drop combining marks); default: as `lowercase`, as BERT's tokenizer does. */
  stripAccents?: boolean;
  /** Default '[UNK]'. */
  unkToken?: string;
  /** Words longer than this are one unknown token, as in BERT (default 100). */
  maxCharsPerWord?: number;
  /** What marks a piece that continues a word (default '##'). */
  continuingPrefix?: string;
}

/**
 * BERT's WordPiece, as MiniLM-style encoders use it: basic tokenisation (clean, lower-case and strip accents for
 * uncased vocabularies, split on spaces and punctuation, CJK ideographs alone), then greedy longest-match-first
 * pieces with '##' marking a piece that continues a word. Vocabulary: vocab.txt's lines, the line number is the id.
 * Not yet wired to an ONNX encoder (docs/text.md).
 */
export class WordPieceTokenizer {
  private readonly ids = new Map<string, number>();
  private readonly unk: number;
  private readonly lowercase: boolean;
  private readonly stripAccents: boolean;
  private readonly maxChars: number;
  private readonly prefix: string;

  constructor(vocab: string | readonly string[] | ReadonlyMap<string, number>, options: WordPieceOptions = {}) {
    if (vocab instanceof Map) for (const [piece, id] of vocab) this.ids.set(piece, id);
    else {
      const lines = typeof vocab === 'string' ? vocab.split(/\r?\n/) : (vocab as readonly string[]);
      lines.forEach((piece, id) => {
        if (piece !== '' && !this.ids.has(piece)) this.ids.set(piece, id);
      });
    }
    const unk = this.ids.get(options.unkToken ?? '[UNK]');
    if (unk === undefined)
      throw new GraftError(
        'INVALID_MODEL_FILE',
        `expected the vocabulary to hold ${describe(options.unkToken ?? '[UNK]')}`,
      );
    this.unk = unk;
    this.lowercase = options.lowercase ?? true;
    this.stripAccents = options.stripAccents ?? this.lowercase;
    this.maxChars = options.maxCharsPerWord ?? 100;
    this.prefix = options.continuingPrefix ?? '##';
  }

  /** The id of one token (a special token such as '[CLS]'), if the vocabulary has it. */
  idOf(token: string): number | undefined {
    return this.ids.get(token);
  }

  /** Piece ids of one text, without [CLS]/[SEP]. */
  encode(text: string): number[] {
    return this.words(text).flatMap((w) => this.pieces(w));
  }

  /** Basic tokenisation: words and single punctuation marks. */
  words(text: string): string[] {
    // drop NUL, U+FFFD and control characters other than tab and newlines, as BERT's _clean_text
    let t = [...text].filter((c) => c === '\t' || c === '\n' || c === '\r' || !/[\p{Cc}\ufffd]/u.test(c)).join('');
    t = t.replace(/[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff\u{20000}-\u{2fa1f}]/gu, (c) => ` ${c} `);
    if (this.lowercase) t = t.toLowerCase();
    if (this.stripAccents) t = t.normalize('NFD').replace(/\p{Mn}/gu, '');
    return t
      .split(/\s+/u)
      .filter(Boolean)
      .flatMap((w) => w.split(/([\p{P}\p{S}!-/:-@[-`{-~])/u).filter(Boolean));
  }

  /** Greedy longest-match-first pieces of one word; the whole word is [UNK] when any part has no piece. */
  private pieces(word: string): number[] {
    const chars = [...word];
    if (chars.length > this.maxChars) return [this.unk];
    const out: number[] = [];
    for (let start = 0; start < chars.length; ) {
      let end = chars.length;
      let id: number | undefined;
      for (; end > start; end--) {
        id = this.ids.get((start > 0 ? this.prefix : '') + chars.slice(start, end).join(''));
        if (id !== undefined) break;
      }
      if (id === undefined) return [this.unk];
      out.push(id);
      start = end;
    }
    return out;
  }
}

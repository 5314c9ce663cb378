import { describe, expect, it } from 'vitest';
import { TextTokenizer } from '../src/text/text-tokenizer';
import { bertTokenizerJson } from '../src/text/vocab-txt';
import { VOCAB } from './tiny-bert';

const code = (c: string) => expect.objectContaining({ code: c });
const vocabTxt = VOCAB.join('\n');

// Reference ids worked out by hand from BERT's tokenizer (google-research/bert tokenization.py): clean text, spaces
// around CJK ideographs, lower-case and NFD accent stripping (uncased), split on whitespace and on every punctuation
// character, then greedy longest-match-first WordPiece with '##' for pieces inside a word, [UNK] for a word with an
// uncovered part or over 100 characters; then [CLS] (2) ... [SEP] (3). Ids are VOCAB's line numbers (tiny-bert.ts).
const CASES: [string, number[]][] = [
  // lowercased, é -> e, '.' split off: the(5) cafe(6) is(20) good(21) .(15)
  ['The Café is good.', [2, 5, 6, 20, 21, 15, 3]],
  // un(10) ##aff(11) ##able(12) | play(7) ##ing(8) | !(14)
  ['Unaffable PLAYING!', [2, 10, 11, 12, 7, 8, 14, 3]],
  // ï -> i: naive(19) | play(7) ##s(9) | ,(13) | 中(17) 文(18) each alone although no space between them
  ['Naïve plays,中文', [2, 19, 7, 9, 13, 17, 18, 3]],
  // the apostrophe is punctuation: it(22) '(16) s(23); 'super' has no piece at its start -> [UNK](1)
  ["It's super", [2, 22, 16, 23, 1, 3]],
  // tabs and newlines are spaces; a control character (U+0007) is dropped: free(26) prize(27)
  ['free\t\u0007prize\n', [2, 26, 27, 3]],
];

describe('WordPiece through @huggingface/tokenizers (vocab.txt -> BERT tokenizer.json)', () => {
  const tok = TextTokenizer.fromVocab(vocabTxt);

  it.each(CASES)('%j -> hand-derived ids', (text, ids) => {
    expect(tok.encode(text)).toEqual({ ids, typeIds: ids.map(() => 0), truncated: false });
  });

  it('splits CJK ideographs outside the BMP apart too, as BERT does (the library alone would not)', () => {
    // U+20000 and U+20001 (CJK Extension B) are ids 4 and 5 here; BERT's _is_chinese_char covers 0x20000-0x2A6DF,
    // so each is a word of its own: [CLS] 4 5 [SEP]; unsplit, '##\u{20001}' is no piece and the word is [UNK]
    const cjk = TextTokenizer.fromVocab(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '\u{20000}', '\u{20001}'].join('\n'));
    expect(cjk.encode('\u{20000}\u{20001}').ids).toEqual([2, 4, 5, 3]);
  });

  it('takes the longest piece first and gives [UNK] for a word over 100 characters', () => {
    // 'aaaa': 'aaaa', 'aaa', 'aa' are not pieces, 'a' (24) is; then '##a' (25) three times
    expect(tok.encode('aaaa').ids).toEqual([2, 24, 25, 25, 25, 3]);
    expect(tok.encode('a'.repeat(100)).ids).toEqual([2, 24, ...new Array(99).fill(25), 3]);
    expect(tok.encode('a'.repeat(101)).ids).toEqual([2, 1, 3]);
  });

  it('cuts the content, keeps [CLS] and [SEP], and says so', () => {
    expect(tok.encode('The Café is good.', 5)).toEqual({
      ids: [2, 5, 6, 20, 3],
      typeIds: [0, 0, 0, 0, 0],
      truncated: true,
    });
    expect(tok.encode('The Café is good.', 7).truncated).toBe(false);
    expect(tok.minLength).toBe(3);
    expect(tok.padId).toBe(0);
  });

  it('keeps case and accents for a cased vocabulary', () => {
    const cased = TextTokenizer.fromVocab(vocabTxt, { lowercase: false });
    // 'The' and 'café' are not in the vocabulary as written
    expect(cased.encode('The café is good').ids).toEqual([2, 1, 1, 20, 21, 3]);
  });

  it("reads tokenizer.json's own ids, specials, padding and truncation", () => {
    // the same vocabulary with every id moved by 100, BertProcessing instead of a template, pad id given
    const json = bertTokenizerJson(vocabTxt, true) as Record<string, unknown> & {
      model: { vocab: Record<string, number> };
    };
    const vocab = Object.fromEntries(Object.entries(json.model.vocab).map(([t, id]) => [t, id + 100]));
    const moved = {
      ...json,
      added_tokens: [],
      model: { ...json.model, vocab },
      post_processor: { type: 'BertProcessing', sep: ['[SEP]', 103], cls: ['[CLS]', 102] },
      padding: { pad_id: 100 },
      truncation: { max_length: 6 },
    };
    const t = TextTokenizer.fromJson(moved);
    expect(t.encode('Unaffable PLAYING!').ids).toEqual([102, 110, 111, 112, 107, 108, 114, 103]);
    expect(t.padId).toBe(100);
    expect(t.maxLength).toBe(6);
  });

  it('refuses a vocabulary without the special tokens and a file that is not a tokenizer', () => {
    expect(() => TextTokenizer.fromVocab('a\nb\nc')).toThrow(code('INVALID_MODEL_FILE'));
    expect(() => TextTokenizer.fromJson({ vocab: [] })).toThrow(code('INVALID_MODEL_FILE'));
    expect(() => TextTokenizer.fromJson('tokenizer')).toThrow(code('INVALID_MODEL_FILE'));
    expect(() => TextTokenizer.fromJson({ model: { type: 'NoSuchModel' } })).toThrow(code('INVALID_MODEL_FILE'));
    // an unk_token the vocabulary lacks: the pieces it stands for would have no id
    const json = bertTokenizerJson(vocabTxt, true) as { model: object };
    const broken = TextTokenizer.fromJson({ ...json, model: { ...json.model, unk_token: '<unk>' } });
    expect(() => broken.encode('zzz')).toThrow(code('INVALID_MODEL_FILE'));
  });
});

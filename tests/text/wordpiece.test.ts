import { describe, expect, it } from 'vitest';
import { WordPieceTokenizer } from '../../packages/zoo/src/text/wordpiece';

// A tiny vocab.txt made here (line number = id); expected ids worked out by hand from BERT's published algorithm
// (basic tokenizer, then greedy longest-match-first with '##' continuations).
const VOCAB = [
  '[PAD]',
  '[UNK]',
  '[CLS]',
  '[SEP]',
  'un',
  '##aff',
  '##able',
  'play',
  '##ing',
  ',',
  '!',
  'cafe',
  '中',
  'the',
  '##s',
];

describe('WordPiece tokenizer', () => {
  const wp = new WordPieceTokenizer(VOCAB.join('\n'));

  it('splits words into the longest pieces first', () => {
    expect(wp.encode('unaffable')).toEqual([4, 5, 6]);
    expect(wp.encode('playing')).toEqual([7, 8]);
    expect(wp.encode('plays')).toEqual([7, 14]);
  });

  it('lower-cases, strips accents, splits punctuation and CJK, and gives [UNK] for a word it cannot cover', () => {
    expect(wp.words('Café, PLAYING!中the')).toEqual(['cafe', ',', 'playing', '!', '中', 'the']);
    expect(wp.encode('Café, PLAYING!中the')).toEqual([11, 9, 7, 8, 10, 12, 13]);
    expect(wp.encode('unknownword the')).toEqual([1, 13]);
    expect(wp.encode('')).toEqual([]);
  });

  it('keeps case when asked, caps word length, and needs an [UNK] entry', () => {
    const cased = new WordPieceTokenizer(VOCAB, { lowercase: false, maxCharsPerWord: 5 });
    expect(cased.encode('Play play')).toEqual([1, 7]);
    expect(cased.encode('playing')).toEqual([1]);
    expect(() => new WordPieceTokenizer(['a', 'b'])).toThrow(expect.objectContaining({ code: 'INVALID_MODEL_FILE' }));
  });

  it('takes a token-to-id map (tokenizer.json), its own continuation prefix, and accents kept when asked', () => {
    const map = new Map(VOCAB.map((t, i) => [t.replace(/^##/, '@@'), i + 100] as [string, number]));
    const wp2 = new WordPieceTokenizer(map, { continuingPrefix: '@@', stripAccents: false });
    expect(wp2.encode('unaffable plays')).toEqual([104, 105, 106, 107, 114]);
    expect(wp2.encode('Café')).toEqual([101]);
    expect(wp2.idOf('[CLS]')).toBe(102);
    expect(wp2.idOf('nope')).toBeUndefined();
  });
});

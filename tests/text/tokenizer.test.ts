import { describe, expect, it } from 'vitest';
import { UnigramTokenizer } from '../../packages/zoo/src/text/sentencepiece';
import { useVocab } from './use-vocab';

// Reference ids from the tokenizer of @tensorflow-models/universal-sentence-encoder 1.3.3 (Tokenizer.encode), run
// once over USE Lite's vocab.json outside the repo: `npm install --legacy-peer-deps
// @tensorflow-models/universal-sentence-encoder@1.3.3` in /tmp, then `new Tokenizer(vocab).encode(text)` for each
// text (tfjs-core 4.22 on NODE_PATH, used only for imports). Graft's tokenizer matched it on all 5,574 SMS
// messages of ../shared/assets/text/sms_spam and these texts.
const REFERENCE: [string, number[]][] = [
  ['I like my phone.', [16, 60, 69, 825, 6]],
  ['Your cellphone looks great.', [819, 2704, 2901, 903, 318, 6]],
  ['How old are you?', [728, 446, 31, 19, 54]],
  ['An apple a day, keeps the doctors away.', [829, 5459, 11, 221, 8, 373, 7, 9, 969, 7, 468, 6]],
  ['The guitar has six strings.', [34, 4338, 61, 973, 3764, 7, 6]],
  ['I play my guitar every evening.', [16, 358, 69, 4338, 325, 4100, 6]],
  [
    'Ünïcödé café naïve — “quotes” 😀 emoji',
    [
      30, 0, 85, 0, 131, 6781, 29, 1133, 976, 209, 1133, 1216, 0, 105, 405, 77, 1699, 5070, 7, 236, 30, 0, 299, 451,
      2501,
    ],
  ],
  ['  two  spaces ', [30, 30, 174, 30, 1016, 7, 30]],
  ['ｆｕｌｌｗｉｄｔｈ ＡＢＣ', [650, 1580, 29, 128, 74, 2512]],
  ['日本語のテキスト', [30, 0]],
  ['tab\there', [5520, 0, 586, 53]],
  ['a', [11]],
  [
    "Free entry in 2 a wkly comp to win FA Cup final tkts 21st May 2005. Text FA to 87121 to receive entry question(std txt rate)T&C's apply 08452810075over18's",
    [
      2963, 5439, 15, 193, 11, 848, 173, 56, 1289, 10, 694, 5189, 3256, 1077, 885, 173, 17, 7, 1426, 7, 17, 697, 4698,
      6, 30, 7019, 5189, 10, 486, 5289, 3472, 10, 2103, 5439, 415, 234, 7, 17, 29, 885, 152, 17, 1343, 52, 205, 531,
      176, 13, 7, 2213, 30, 4234, 3285, 4084, 3522, 3420, 1519, 2506, 13, 7,
    ],
  ],
];

describe('USE SentencePiece tokenizer', () => {
  const tokenizer = new UnigramTokenizer(useVocab());

  it('has the 8,000 pieces of vocab.json', () => {
    expect(tokenizer.size).toBe(8000);
  });

  it.each(REFERENCE)('encodes %j as the tfjs-models tokenizer does', (text, ids) => {
    expect(tokenizer.encode(text)).toEqual(ids);
  });

  it('gives no ids for an empty text and refuses a vocabulary that is not one', () => {
    expect(tokenizer.encode('')).toEqual([]);
    expect(() => new UnigramTokenizer([] as never)).toThrow(expect.objectContaining({ code: 'INVALID_MODEL_FILE' }));
  });
});

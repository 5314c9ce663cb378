import { GraftError } from '@graftjs/core';

const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]'] as const;

/**
 * The tokenizer.json that BERT's tokenizer amounts to for a vocab.txt (what the Rust tokenizers' BertWordPiece and
 * transformers' BertTokenizerFast write): clean text, CJK ideographs apart, lower-case and strip accents when
 * uncased; split on spaces and punctuation; WordPiece with '##'; "[CLS] text [SEP]".
 */
export function bertTokenizerJson(vocabTxt: string, lowercase: boolean): object {
  const vocab: Record<string, number> = {};
  vocabTxt.split(/\r?\n/).forEach((piece, id) => {
    if (piece !== '' && !(piece in vocab)) vocab[piece] = id;
  });
  const missing = SPECIALS.filter((t) => !(t in vocab));
  if (missing.length > 0)
    throw new GraftError(
      'INVALID_MODEL_FILE',
      `expected vocab.txt to hold BERT's special tokens ${SPECIALS.join(', ')}; it lacks ${missing.join(', ')}`,
    );
  const special = (t: string) => ({ id: t, ids: [vocab[t]], tokens: [t] });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIALS.map((t) => ({
      id: vocab[t],
      content: t,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [],
      special_tokens: { '[CLS]': special('[CLS]'), '[SEP]': special('[SEP]') },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab,
    },
  };
}

import type { TextTokenizer } from './text-tokenizer';

/** Texts tokenised and padded to the longest of them, row-major [n, length], as the graph's token inputs take. */
export interface TokenBatch {
  /** Rows and the padded length. */
  n: number;
  length: number;
  inputIds: number[];
  attentionMask: number[];
  tokenTypeIds: number[];
  /** Indices of the texts cut to maxLength (empty when none was). */
  truncated: number[];
}

/**
 * One batch: each text encoded (cut to maxLength), padded with the tokenizer's pad id to the batch's longest, or to
 * `fixed` for a graph whose sequence length is fixed.
 */
export function tokenBatch(
  tokenizer: TextTokenizer,
  texts: readonly string[],
  maxLength: number,
  fixed?: number,
): TokenBatch {
  const rows = texts.map((t) => tokenizer.encode(t, maxLength));
  const length = fixed ?? Math.max(...rows.map((r) => r.ids.length));
  const inputIds: number[] = [];
  const attentionMask: number[] = [];
  const tokenTypeIds: number[] = [];
  const truncated: number[] = [];
  rows.forEach((r, i) => {
    if (r.truncated) truncated.push(i);
    const pad = length - r.ids.length;
    inputIds.push(...r.ids, ...new Array<number>(pad).fill(tokenizer.padId));
    attentionMask.push(...r.ids.map(() => 1), ...new Array<number>(pad).fill(0));
    tokenTypeIds.push(...r.typeIds, ...new Array<number>(pad).fill(0));
  });
  return { n: texts.length, length, inputIds, attentionMask, tokenTypeIds, truncated };
}

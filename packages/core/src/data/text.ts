import * as tf from '@tensorflow/tfjs-core';
import { describe, GraftError } from '../errors/graft-error';

/**
 * Texts travel through graft as tensors so that Datasets, splits, shuffles and the feature cache treat them as any
 * other data on every backend: one row per text, a marker, then its UTF-16 code units, padded with -1 to the
 * longest text. A text model's base decodes the rows back to strings (`textsFromRows`) and tokenises them itself.
 */
const TEXT_MARKER = -7.25;
const PAD = -1;
/** Longest text accepted, in UTF-16 code units: a row is as wide as the longest text of its batch. */
export const MAX_TEXT_CHARS = 8192;

export function isTextArray(x: unknown): x is readonly string[] {
  return Array.isArray(x) && x.length > 0 && typeof x[0] === 'string';
}

/** Checks every text: a non-empty string of at most MAX_TEXT_CHARS; returns the longest length. */
function checkTexts(texts: readonly unknown[], what: string): number {
  let width = 0;
  texts.forEach((t, i) => {
    if (typeof t !== 'string')
      throw new GraftError('INVALID_DATA', `expected ${what}[${i}] to be a string (a text), got ${describe(t)}`);
    if (t.trim().length === 0)
      throw new GraftError(
        'EMPTY_TEXT',
        `expected ${what}[${i}] to be a text with some non-space character, got ${JSON.stringify(t)}`,
      );
    if (t.length > MAX_TEXT_CHARS)
      throw new GraftError(
        'TEXT_TOO_LONG',
        `expected ${what}[${i}] to have at most ${MAX_TEXT_CHARS} characters, got ${t.length}: split long documents into passages`,
      );
    width = Math.max(width, t.length);
  });
  return width;
}

/** What a text encoder's `embed(texts)` takes: one text or a non-empty array of them, each checked; as an array. */
export function textList(texts: unknown, what = 'texts'): string[] {
  const list = typeof texts === 'string' ? [texts] : texts;
  if (!Array.isArray(list) || list.length === 0)
    throw new GraftError('INVALID_DATA', `expected a text or a non-empty array of texts, got ${describe(texts)}`);
  checkTexts(list, what);
  return [...list];
}

/** Rows [n, 1 + longest] of texts, every text checked: a non-empty string of at most MAX_TEXT_CHARS. */
export function textRows(texts: readonly unknown[], what: string): tf.Tensor2D {
  const width = checkTexts(texts, what);
  const values = new Float32Array(texts.length * (width + 1)).fill(PAD);
  texts.forEach((t, i) => {
    const row = i * (width + 1);
    values[row] = TEXT_MARKER;
    for (let k = 0; k < (t as string).length; k++) values[row + 1 + k] = (t as string).charCodeAt(k);
  });
  return tf.tensor2d(values, [texts.length, width + 1]);
}

/** The texts of rows made by `textRows` (any subset or order of them); refuses rows that are not text. */
export async function textsFromRows(rows: tf.Tensor): Promise<string[]> {
  if (rows.rank !== 2)
    throw new GraftError(
      'SHAPE_MISMATCH',
      `expected texts (strings), got a tensor of shape [${rows.shape.join(', ')}]`,
    );
  const [n, width] = rows.shape as [number, number];
  const values = await rows.data();
  const texts: string[] = [];
  for (let i = 0; i < n; i++) {
    const row = values.subarray(i * width, (i + 1) * width);
    if (row[0] !== TEXT_MARKER)
      throw new GraftError('INVALID_DATA', `expected texts (strings) for a text model, got numbers in sample ${i}`);
    let end = 1;
    while (end < width && row[end] !== PAD) end++;
    texts.push(String.fromCharCode(...row.subarray(1, end)));
  }
  return texts;
}

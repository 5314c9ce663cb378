import type { ExtractorBackbone } from '@graftjs/core';
import { textRows, textsFromRows } from '@graftjs/core/adapter';
import * as tf from '@tensorflow/tfjs-core';

/**
 * The encoder with every text's embedding kept after its first pass, so the tests that fit several models on the
 * same messages embed each message once (the encoder is the slow part). `embedded` counts texts that ran the encoder.
 */
export function memoEncoder(base: ExtractorBackbone): ExtractorBackbone & { embedded: number } {
  const seen = new Map<string, Float32Array>();
  const memo = {
    ...base,
    embedded: 0,
    async extract(rows: tf.Tensor): Promise<tf.Tensor> {
      const texts = await textsFromRows(rows);
      const fresh = [...new Set(texts.filter((t) => !seen.has(t)))];
      if (fresh.length > 0) {
        const freshRows = textRows(fresh, 'texts');
        const e = await base.extract(freshRows).finally(() => freshRows.dispose());
        const data = (await e.data()) as Float32Array;
        e.dispose();
        fresh.forEach((t, i) => {
          seen.set(t, data.slice(i * 512, (i + 1) * 512));
        });
        memo.embedded += fresh.length;
      }
      const out = new Float32Array(texts.length * 512);
      texts.forEach((t, i) => {
        out.set(seen.get(t) as Float32Array, i * 512);
      });
      return tf.tensor2d(out, [texts.length, 512]);
    },
  };
  return memo;
}

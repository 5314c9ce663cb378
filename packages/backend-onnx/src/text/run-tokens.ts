import { GraftError } from '@graftjs/core';
import { DATA_TYPE } from '../onnx/schema';
import type { OrtSession } from '../runtime/ort-env';
import type { TokenInputs } from './text-graph';
import type { TokenBatch } from './token-batch';

export interface TokenSession extends OrtSession {
  inputs: TokenInputs;
  output: string;
  /** Calls on one session are queued: onnxruntime-web runs one at a time. */
  queue?: Promise<unknown>;
}

/** The embeddings of one token batch, [n, d] row-major. */
export function runTokens(io: TokenSession, batch: TokenBatch): Promise<{ data: Float32Array; dims: number[] }> {
  const task = (io.queue ?? Promise.resolve())
    .catch(() => undefined)
    .then(async () => {
      const dims = [batch.n, batch.length];
      const tensor = (values: number[]) =>
        io.inputs.elemType === DATA_TYPE.int64
          ? new io.ort.Tensor(
              'int64',
              BigInt64Array.from(values, (v) => BigInt(v)),
              dims,
            )
          : new io.ort.Tensor('int32', Int32Array.from(values), dims);
      const feeds = {
        [io.inputs.ids]: tensor(batch.inputIds),
        [io.inputs.mask]: tensor(batch.attentionMask),
        ...(io.inputs.types ? { [io.inputs.types]: tensor(batch.tokenTypeIds) } : {}),
      };
      const results = await io.session.run(feeds, [io.output]);
      const out = results[io.output];
      try {
        if (out.type !== 'float32' || out.dims.length !== 2)
          throw new GraftError(
            'ONNX_UNKNOWN_OUTPUT',
            `expected the sentence embedding as float32 [batch, hidden], got ${out.type} [${out.dims.join(', ')}]`,
          );
        return { data: Float32Array.from(out.data as Float32Array), dims: [...out.dims] };
      } finally {
        out.dispose();
      }
    });
  io.queue = task;
  return task;
}

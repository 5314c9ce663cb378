import { describe, GraftError } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import type { OrtSession } from './ort-env';

/** How one graph input is fed from graft's NHWC float batches (on the session's own runtime). */
export interface SessionIO extends OrtSession {
  inputName: string;
  outputName: string;
  /** Shape of one sample as graft passes it (NHWC for images). */
  sampleShape: number[];
  /** The graph's batch dimension is fixed at 1: run larger batches one sample at a time. */
  batchOfOne: boolean;
  /** Rank-4 outputs are NCHW: transpose them back to NHWC. */
  nchwOutput: boolean;
}

function nchwToNhwc(x: Float32Array, n: number, c: number, h: number, w: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let b = 0; b < n; b++)
    for (let ch = 0; ch < c; ch++)
      for (let y = 0; y < h; y++)
        for (let xx = 0; xx < w; xx++) out[((b * h + y) * w + xx) * c + ch] = x[((b * c + ch) * h + y) * w + xx];
  return out;
}

export function checkBatch(batch: tf.Tensor, sampleShape: number[], what: string): void {
  const ok =
    batch instanceof tf.Tensor &&
    batch.rank === sampleShape.length + 1 &&
    sampleShape.every((d, i) => batch.shape[i + 1] === d);
  if (!ok) {
    throw new GraftError(
      'ONNX_INPUT_MISMATCH',
      `${what} expects a batch of shape [N, ${sampleShape.join(', ')}], got ${describe(batch)}`,
    );
  }
}

async function runOnce(
  io: SessionIO,
  data: Float32Array,
  dims: number[],
): Promise<{ data: Float32Array; dims: number[]; type: string }> {
  const feed = new io.ort.Tensor('float32', data, dims);
  const results = await io.session.run({ [io.inputName]: feed }, [io.outputName]);
  const out = results[io.outputName];
  try {
    const values = out.data as ArrayLike<number>;
    // onnxruntime-node hands over a fresh array of its own; keep a copy of anything else
    const owned = io.kind === 'native' && values instanceof Float32Array;
    return {
      data: out.type !== 'float32' ? Float32Array.from(values) : owned ? values : (values as Float32Array).slice(),
      dims: [...out.dims],
      type: out.type,
    };
  } finally {
    out.dispose();
  }
}

/**
 * Runs an NHWC float batch through the session and returns the output as a tf.Tensor (the only
 * tfjs tensor created). Calls on one session are queued: onnxruntime-web runs one at a time.
 */
export async function runBatch(
  io: SessionIO & { queue?: Promise<unknown> },
  batch: tf.Tensor,
): Promise<{ tensor: tf.Tensor; type: string }> {
  const task = (io.queue ?? Promise.resolve())
    .catch(() => undefined)
    .then(async () => {
      const n = batch.shape[0];
      let x = (await batch.data()) as Float32Array;
      if (!(x instanceof Float32Array)) x = Float32Array.from(x);
      const dims = [...batch.shape];
      let result: { data: Float32Array; dims: number[]; type: string };
      if (io.batchOfOne && n > 1) {
        const per = x.length / n;
        const parts: Float32Array[] = [];
        let first: { dims: number[]; type: string } | undefined;
        for (let i = 0; i < n; i++) {
          const r = await runOnce(io, x.slice(i * per, (i + 1) * per), [1, ...dims.slice(1)]);
          parts.push(r.data);
          first ??= r;
        }
        const all = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
        let offset = 0;
        for (const p of parts) {
          all.set(p, offset);
          offset += p.length;
        }
        result = {
          data: all,
          dims: [n, ...(first as { dims: number[] }).dims.slice(1)],
          type: (first as { type: string }).type,
        };
      } else {
        result = await runOnce(io, x, dims);
      }
      let { data, dims: outDims } = result;
      if (io.nchwOutput && outDims.length === 4) {
        data = nchwToNhwc(data, outDims[0], outDims[1], outDims[2], outDims[3]);
        outDims = [outDims[0], outDims[2], outDims[3], outDims[1]];
      }
      return { tensor: tf.tensor(data, outDims, 'float32'), type: result.type };
    });
  io.queue = task;
  return task;
}

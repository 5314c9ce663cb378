import { type ExportSource, GraftError, type InferenceRuntime, type PreparedRuntime } from '@graftjs/core/adapter';
import type * as tf from '@tensorflow/tfjs-core';
import { checkNet, exportOnnx } from '../export/export-onnx';
import { createSession } from './ort-env';
import { checkBatch, runBatch, type SessionIO } from './run-session';

/**
 * The "onnx" runtime: exports the model once, builds one InferenceSession and reuses it for every
 * batch. The exported graph takes graft's NHWC batches, so nothing is transposed on the way in.
 */
export const onnxRuntime: InferenceRuntime = {
  async prepare(source: ExportSource): Promise<PreparedRuntime> {
    const net = checkNet(source);
    if (source.extractor?.input === 'text')
      throw new GraftError(
        'ONNX_INPUT_MISMATCH',
        `the onnx runtime takes tensors, not texts: predict with a text model on cpu, wasm or webgpu (its encoder runs on onnxruntime there), or export it and feed the encoder's tokenizeBatch ids`,
      );
    const bytes = await exportOnnx(source);
    const created = await createSession(bytes, `the exported model "${net.name}"`);
    const { session } = created;
    const sampleShape = (source.extractor?.inputShape ?? net.inputs[0].shape.slice(1)) as number[];
    const fixed = session.inputMetadata?.[0];
    const io: SessionIO = {
      ...created,
      inputName: session.inputNames[0],
      outputName: session.outputNames[0],
      sampleShape,
      nchwOutput: false,
      batchOfOne: !!fixed && fixed.isTensor && fixed.shape[0] === 1,
    };
    let released = false;
    return {
      async run(batch: tf.Tensor): Promise<tf.Tensor> {
        checkBatch(batch, sampleShape, `model "${net.name}" (onnx runtime)`);
        return (await runBatch(io, batch)).tensor;
      },
      async dispose() {
        if (released) return;
        released = true;
        await session.release();
      },
    };
  },
};

import { GraftError } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import { runBatch, type SessionIO } from '../runtime/run-session';

/**
 * The feature shape, from one zero sample (files rarely declare internal shapes). On failure the session is
 * released, so a refused file leaves nothing open.
 */
export async function probeFeatureShape(io: SessionIO): Promise<number[]> {
  const zeros = tf.zeros([1, ...io.sampleShape]);
  try {
    const probe = await runBatch(io, zeros);
    const featureShape = probe.tensor.shape.slice(1);
    probe.tensor.dispose();
    if (probe.type !== 'float32') {
      throw new GraftError(
        'INVALID_OPTION',
        `feature output "${io.outputName}" is ${probe.type}; name a float32 tensor (e.g. a DequantizeLinear output)`,
      );
    }
    return featureShape;
  } catch (e) {
    await io.session.release();
    if (e instanceof GraftError) throw e;
    // the file parsed but onnxruntime cannot run it (e.g. inconsistent shapes): still a bad file
    throw new GraftError(
      'ONNX_INVALID_FILE',
      `onnxruntime could not run this ONNX model on a zero sample: ${(e as Error).message}`,
    );
  } finally {
    zeros.dispose();
  }
}

import type { LayersModel } from '@tensorflow/tfjs-layers';

type Kwargs = Record<string, unknown>;
interface CallableLayer {
  trainable: boolean;
  layers?: CallableLayer[];
  getClassName(): string;
  call(inputs: unknown, kwargs: Kwargs): unknown;
  __graftFrozenBn?: true;
}

/**
 * Keras semantics for frozen BatchNormalization: a layer with `trainable = false` runs in inference mode
 * (moving mean/variance used, never updated) even inside a training step. tfjs-layers uses batch statistics
 * and updates the moving averages regardless; we wrap each BN layer's `call` once to follow Keras.
 */
export function enforceFrozenBatchNorm(net: LayersModel): number {
  let patched = 0;
  const walk = (layers: CallableLayer[]) => {
    for (const layer of layers) {
      if (layer.layers) walk(layer.layers);
      if (layer.getClassName() !== 'BatchNormalization' || layer.__graftFrozenBn) continue;
      const original = layer.call.bind(layer);
      layer.call = (inputs: unknown, kwargs: Kwargs) =>
        original(inputs, layer.trainable ? kwargs : { ...(kwargs ?? {}), training: false });
      layer.__graftFrozenBn = true;
      patched++;
    }
  };
  walk(net.layers as unknown as CallableLayer[]);
  return patched;
}

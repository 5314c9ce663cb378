import type { LayersModel } from '@tensorflow/tfjs-layers';

type Kwargs = Record<string, unknown>;
interface CallableLayer {
  trainable: boolean;
  layers?: CallableLayer[];
  getClassName(): string;
  call(inputs: unknown, kwargs: Kwargs): unknown;
  __graftFrozenBn?: true;
  __graftBnInference?: boolean;
}

/** How a trainable BatchNormalization layer runs in a training step. */
export type BatchNormMode = 'inference' | 'train';

/**
 * Keras fine-tuning semantics for one BatchNormalization layer: 'inference' keeps it on its moving statistics
 * (never updated) even while gamma/beta train, as Keras after `base(x, training=False)`; 'train' uses batch
 * statistics and updates the moving averages. A frozen layer is always in inference mode.
 */
export function setBatchNormMode(layer: { getClassName(): string }, mode: BatchNormMode): void {
  const l = layer as CallableLayer;
  // a nested model opens its own layers too
  for (const inner of l.layers ?? []) setBatchNormMode(inner, mode);
  if (l.getClassName() === 'BatchNormalization') l.__graftBnInference = mode === 'inference';
}

/**
 * Keras semantics for frozen BatchNormalization: a layer with `trainable = false` runs in inference mode
 * (moving mean/variance used, never updated) even inside a training step; so does a trainable one set to
 * 'inference' by `setBatchNormMode`. tfjs-layers uses batch statistics and updates the moving averages regardless;
 * we wrap each BN layer's `call` once to follow Keras.
 */
export function enforceFrozenBatchNorm(net: LayersModel): number {
  let patched = 0;
  const walk = (layers: CallableLayer[]) => {
    for (const layer of layers) {
      if (layer.layers) walk(layer.layers);
      if (layer.getClassName() !== 'BatchNormalization' || layer.__graftFrozenBn) continue;
      const original = layer.call.bind(layer);
      layer.call = (inputs: unknown, kwargs: Kwargs) =>
        original(
          inputs,
          layer.trainable && !layer.__graftBnInference ? kwargs : { ...(kwargs ?? {}), training: false },
        );
      layer.__graftFrozenBn = true;
      patched++;
    }
  };
  walk(net.layers as unknown as CallableLayer[]);
  return patched;
}

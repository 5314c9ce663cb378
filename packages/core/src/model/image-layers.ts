import type { LayersModel } from '@tensorflow/tfjs-layers';

// Layers that mean "this network takes raw images": Keras' image preprocessing layers (ours and tfjs-layers'), and
// the random augmentation layers, which are image layers too. Known by class name, so model/ needs no builder import.
const IMAGE_LAYERS = new Set(['Rescaling', 'GraftNormalization', 'GraftResizing', 'GraftCenterCrop']);

/**
 * The [height, width] a network takes images at, when it starts with an image preprocessing layer and its input is
 * one RGB image of fixed size; else undefined. `predict('x.jpg')` decodes to that size, as for a transfer model.
 */
export function imageInputSize(net: LayersModel): [number, number] | undefined {
  const shape = net.inputs[0]?.shape;
  if (shape?.length !== 4 || shape[3] !== 3) return undefined;
  const [, h, w] = shape;
  if (typeof h !== 'number' || typeof w !== 'number') return undefined;
  const first = net.layers.find((l) => l.getClassName() !== 'InputLayer');
  const name = first?.getClassName() ?? '';
  return IMAGE_LAYERS.has(name) || name.startsWith('Random') ? [h, w] : undefined;
}

import * as tfl from '@tensorflow/tfjs-layers';
import { GraftError } from '../errors/graft-error';

/** Seeded initializer for layer `i` (kernel, depthwise or pointwise weights), or undefined without a seed. */
export type SeededInit = (i: number, kind: 'kernel' | 'depthwise' | 'pointwise') => unknown;

/** Makes one layer; `first` carries the input shape for the first layer of a tfjs Sequential. */
export type LayerFactory = (first: { inputShape?: number[] }, init: SeededInit) => tfl.layers.Layer;

/** A residual block: its layers, then `add` with the block's input (projected when the shapes differ). */
export interface ResidualStep {
  block: Step[];
  name?: string;
}

export type Step = LayerFactory | ResidualStep;

// block layers draw seeds far from the outer layers' (which use their own index)
const BLOCK_SEEDS = 1000;

/**
 * Builds steps as a functional model (residual blocks branch, which a tfjs Sequential cannot). Every layer made is
 * pushed to `made`, so a failure can free their weights.
 */
export function buildFunctional(
  steps: Step[],
  inputShape: number[],
  init: SeededInit,
  made: tfl.layers.Layer[],
  name?: string,
): tfl.LayersModel {
  const input = tfl.input({ shape: inputShape });
  return tfl.model({ inputs: input, outputs: applySteps(steps, input, init, made), name });
}

/** Applies steps in order to `x`; a residual block's own steps recurse, so blocks may nest. */
function applySteps(steps: Step[], x: tfl.SymbolicTensor, init: SeededInit, made: tfl.layers.Layer[]) {
  const keep = <L extends tfl.layers.Layer>(layer: L): L => {
    made.push(layer);
    return layer;
  };
  steps.forEach((step, i) => {
    if (typeof step === 'function') {
      x = keep(step({}, init)).apply(x) as tfl.SymbolicTensor;
      return;
    }
    const offset = BLOCK_SEEDS * (i + 1);
    const seeds: SeededInit = (j, kind) => init(offset + j, kind);
    const y = applySteps(step.block, x, seeds, made);
    const shortcut = sameShape(x, y) ? x : (keep(projection(x, y)({}, seeds)).apply(x) as tfl.SymbolicTensor);
    x = keep(tfl.layers.add(step.name ? { name: step.name } : {})).apply([y, shortcut]) as tfl.SymbolicTensor;
  });
  return x;
}

function sameShape(a: tfl.SymbolicTensor, b: tfl.SymbolicTensor): boolean {
  return a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
}

/**
 * Keras' mini-Xception shortcut when a block changes the shape: a 1x1 convolution to the block's channels, strided
 * down to its size (padding 'same'), or a dense layer on vectors. With a bias, as Keras' Conv2D default.
 */
function projection(x: tfl.SymbolicTensor, y: tfl.SymbolicTensor): LayerFactory {
  const [, h, w, c] = y.shape as number[];
  if (x.shape.length === 4 && y.shape.length === 4) {
    const [, hx, wx] = x.shape as number[];
    const strides: [number, number] = [Math.ceil(hx / h), Math.ceil(wx / w)];
    if (Math.ceil(hx / strides[0]) === h && Math.ceil(wx / strides[1]) === w)
      return (_, init) =>
        tfl.layers.conv2d({
          filters: c,
          kernelSize: 1,
          strides,
          padding: 'same',
          kernelInitializer: init(999, 'kernel') as never,
        });
  }
  if (x.shape.length === 2 && y.shape.length === 2)
    return (_, init) =>
      tfl.layers.dense({ units: y.shape[1] as number, kernelInitializer: init(999, 'kernel') as never });
  throw new GraftError(
    'INVALID_LAYER',
    `expected a residual block to keep its input's shape or to shrink it by a whole stride, got [${x.shape.slice(1).join(', ')}] in and [${y.shape.slice(1).join(', ')}] out`,
  );
}

import type * as tfl from '@tensorflow/tfjs-layers';
import { describe, GraftError } from '../errors/graft-error';

/** The layer whose activations Grad-CAM weighs: its output tensor in the graph, and its name. */
export interface TargetLayer {
  tensor: tfl.SymbolicTensor;
  name: string;
}

// Conv2D, DepthwiseConv2D, SeparableConv2D, Conv2DTranspose: a feature map starts at one of them
const CONVOLUTION = /Conv/;

const shapeOf = (t: tfl.SymbolicTensor) => `[${t.shape.map((d) => d ?? 'batch').join(', ')}]`;

/**
 * The default target: the last tensor (in graph order) that is a 4-D feature map [batch, height, width, channels]
 * at or after a convolution; in a CNN, the map that global pooling or flatten turns into a vector. `order` lists
 * the graph's tensors each after its inputs. `name` picks a layer instead.
 */
export function findTarget(order: tfl.SymbolicTensor[], name?: string): TargetLayer {
  if (name !== undefined) return namedTarget(order, name);
  const afterConv = new Set<number>();
  let last: tfl.SymbolicTensor | undefined;
  for (const t of order) {
    const conv = CONVOLUTION.test(t.sourceLayer.getClassName()) || t.inputs.some((i) => afterConv.has(i.id));
    if (!conv) continue;
    afterConv.add(t.id);
    if (t.shape.length === 4) last = t;
  }
  if (!last) {
    const layers = order.map((t) => `${t.sourceLayer.name} ${shapeOf(t)}`).join(', ');
    throw new GraftError(
      'NO_CONV_LAYER',
      `expected a network with a convolution whose output is a 4-D feature map [batch, height, width, channels]; got none on the way to the output (${layers})`,
    );
  }
  return { tensor: last, name: last.sourceLayer.name };
}

function namedTarget(order: tfl.SymbolicTensor[], name: string): TargetLayer {
  if (typeof name !== 'string')
    throw new GraftError('INVALID_OPTION', `expected options.layer as a layer name, got ${describe(name)}`);
  // the input is not a layer's activations: a name of an input layer is not found
  const found = order.filter((t) => t.inputs.length > 0 && t.sourceLayer.name === name).pop();
  if (!found) {
    const maps = order.filter((t) => t.shape.length === 4).map((t) => t.sourceLayer.name);
    throw new GraftError(
      'UNKNOWN_LAYER',
      `expected options.layer to name a layer on the way to the output, got ${describe(name)}; layers with 4-D outputs, last first: ${maps.reverse().slice(0, 8).join(', ') || 'none'}`,
    );
  }
  if (found.shape.length !== 4)
    throw new GraftError(
      'INVALID_OPTION',
      `expected options.layer to name a layer with a 4-D output [batch, height, width, channels], got ${describe(name)} with output ${shapeOf(found)}`,
    );
  return { tensor: found, name };
}

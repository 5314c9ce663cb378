import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/**
 * One inference pass over a tfjs-layers graph, tensor by tensor, where any tensor of the graph can be fed (not only
 * the model's inputs). Grad-CAM needs this: the class score as a function of an inner layer's activations, so
 * tf.grad can differentiate it. Every layer runs in inference mode (`training: false`), as `predict` runs it, so
 * BatchNormalization uses its moving statistics and dropout is off.
 */
export class GraphRun {
  private readonly values = new Map<number, tf.Tensor>();

  constructor(feed: [tfl.SymbolicTensor, tf.Tensor][]) {
    for (const [symbolic, value] of feed) this.values.set(symbolic.id, value);
  }

  /** The value of `t`, computed from the fed tensors (each tensor once per run). */
  value(t: tfl.SymbolicTensor): tf.Tensor {
    const known = this.values.get(t.id);
    if (known) return known;
    // an input layer's tensor has no inputs of its own: it must have been fed
    if (t.inputs.length === 0) throw new Error(`graph input ${t.name} was not fed`);
    const inputs = t.inputs.map((i) => this.value(i));
    const out = t.sourceLayer.apply(inputs.length === 1 ? inputs[0] : inputs, {
      ...t.callArgs,
      training: false,
    }) as tf.Tensor | tf.Tensor[];
    const value = Array.isArray(out) ? out[t.outputTensorIndex ?? 0] : out;
    this.values.set(t.id, value);
    return value;
  }
}

/** The tensors `output` depends on, each after its inputs (depth-first post-order), `output` last. */
export function tensorsUpTo(output: tfl.SymbolicTensor): tfl.SymbolicTensor[] {
  const seen = new Set<number>();
  const order: tfl.SymbolicTensor[] = [];
  const visit = (t: tfl.SymbolicTensor) => {
    if (seen.has(t.id)) return;
    seen.add(t.id);
    for (const input of t.inputs) visit(input);
    order.push(t);
  };
  visit(output);
  return order;
}

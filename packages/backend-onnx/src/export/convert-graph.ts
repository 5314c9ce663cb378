import { GraftError } from '@graftjs/core';
import type { LayerLike } from './layer-call';
import { LAYER_CONVERTERS } from './layers';
import type { ConvertContext, KerasShape, Value } from './values';

interface SymbolicTensorLike {
  id: number;
  shape: KerasShape;
  sourceLayer: LayerLike & { inboundNodes: NodeLike[] };
  nodeIndex: number;
}

interface NodeLike {
  inputTensors: SymbolicTensorLike[];
  outputTensors: SymbolicTensorLike[];
}

/** The graph-level view of a tfjs LayersModel (Sequential or functional) this walker needs. */
export interface GraphModelLike {
  name: string;
  inputs: SymbolicTensorLike[];
  outputs: SymbolicTensorLike[];
}

/** A functional model used as a layer inside another one (duck-typed, so two tfjs copies still work). */
function isNestedModel(layer: unknown): layer is GraphModelLike {
  const l = layer as Partial<GraphModelLike> & { layers?: unknown };
  return Array.isArray(l.layers) && Array.isArray(l.inputs) && Array.isArray(l.outputs);
}

/**
 * Converts a model's graph, given the Values feeding its inputs, and returns the Values of its
 * outputs. Walks back from the outputs through each tensor's producing node (so only what the
 * outputs need is written, in a valid topological order); a nested model is walked the same way
 * with its inputs bound to the outer tensors, which flattens it into the one ONNX graph.
 */
export function convertGraph(model: GraphModelLike, inputs: Value[], ctx: ConvertContext): Value[] {
  if (inputs.length !== model.inputs.length) {
    throw new GraftError(
      'ONNX_UNSUPPORTED_LAYER',
      `model "${model.name}" takes ${model.inputs.length} inputs, was given ${inputs.length}`,
    );
  }
  const scope = new Map<number, Value>();
  for (const [i, t] of model.inputs.entries()) scope.set(t.id, inputs[i]);

  const resolve = (t: SymbolicTensorLike): Value => {
    const known = scope.get(t.id);
    if (known) return known;
    const layer = t.sourceLayer;
    const node = layer.inboundNodes[t.nodeIndex];
    if (!node || node.inputTensors.length === 0) {
      throw new GraftError(
        'ONNX_UNSUPPORTED_LAYER',
        `cannot export layer "${layer.name}" (${layer.getClassName()}): it produces a tensor the model's inputs do not lead to`,
        { layer: layer.name, className: layer.getClassName() },
      );
    }
    const ins = node.inputTensors.map(resolve);
    let outs: Value[];
    if (isNestedModel(layer)) {
      outs = convertGraph(layer, ins, ctx);
    } else {
      const convert = LAYER_CONVERTERS[layer.getClassName()];
      if (!convert) {
        throw new GraftError(
          'ONNX_UNSUPPORTED_LAYER',
          `cannot export layer "${layer.name}" (${layer.getClassName()}) to ONNX: no converter for ${layer.getClassName()}` +
            ` (supported: ${Object.keys(LAYER_CONVERTERS).join(', ')}, and nested models)`,
          { layer: layer.name, className: layer.getClassName() },
        );
      }
      outs = convert(
        { layer, config: layer.getConfig(), inputs: ins, outputShapes: node.outputTensors.map((o) => o.shape) },
        ctx,
      );
    }
    for (const [i, o] of node.outputTensors.entries()) scope.set(o.id, outs[i]);
    const out = scope.get(t.id);
    if (!out) throw new GraftError('ONNX_UNSUPPORTED_LAYER', `layer "${layer.name}" did not produce tensor ${t.id}`);
    return out;
  };

  return model.outputs.map(resolve);
}

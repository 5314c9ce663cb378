import type * as tfl from '@tensorflow/tfjs-layers';

/** The slice of tfjs-layers' internals a plan reads (Container's graph; stable across tfjs 4.x). */
export interface GraphLayer {
  name: string;
  getClassName(): string;
  getConfig(): Record<string, unknown>;
  apply(inputs: unknown, kwargs?: Record<string, unknown>): unknown;
  [field: string]: unknown;
}
interface SymTensor {
  id: number;
  shape: (number | null)[];
}
interface GraphNode {
  outboundLayer: GraphLayer;
  inputTensors: SymTensor[];
  outputTensors: SymTensor[];
  callArgs?: Record<string, unknown> | null;
}
export interface GraphModel extends GraphLayer {
  inputs: SymTensor[];
  outputs: SymTensor[];
  layers: GraphLayer[];
  nodesByDepth: Record<string, GraphNode[]>;
}

export type FusedActivation = 'linear' | 'relu' | 'relu6';

/**
 * One step of an inference plan: a layer run as is (`direct`: its `call` on concrete tensors, skipping `apply`'s
 * checks and name scopes; else through `apply`), or a conv with the BatchNormalization/ReLU after it folded in.
 */
export type Step =
  | {
      kind: 'layer';
      layer: GraphLayer;
      direct: boolean;
      inputs: number[];
      output: number;
      args: Record<string, unknown>;
    }
  | {
      kind: 'dense';
      /** A Dense layer on a rank-2 input: one fused matMul with its bias, and its activation when that one fuses. */
      layer: GraphLayer;
      /** The fused activation, or null when the layer's own activation runs after a linear matMul. */
      activation: FusedActivation | null;
      input: number;
      output: number;
    }
  | {
      kind: 'pool';
      /** GlobalAveragePooling2D (channels last, static height and width) as one average pool over the whole map. */
      layer: GraphLayer;
      window: [number, number];
      input: number;
      output: number;
    }
  | {
      kind: 'conv';
      conv: GraphLayer;
      bn: GraphLayer | null;
      activation: FusedActivation;
      depthwise: boolean;
      /** 'same' also where a ZeroPadding2D before a 'valid' conv pads exactly as 'same' would (MobileNetV2's). */
      pad: 'same' | 'valid';
      /** The conv's strides and dilation rate, read once (getConfig builds its whole config on every call). */
      strides: [number, number];
      dilations: [number, number];
      input: number;
      output: number;
    };

export interface Plan {
  input: number;
  output: number;
  steps: Step[];
  /** How many steps read each tensor (the model's output counts once more), so a value is freed after its last use. */
  uses: Map<number, number>;
  folded: number;
}

/** Layers that pass their input through unchanged at inference: the plan reads their input in their place. */
const IDENTITY_AT_INFERENCE = new Set([
  'Dropout',
  'SpatialDropout1D',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
]);

/**
 * tfjs-layers classes whose `call` on concrete tensors is all that `apply` runs besides input checks, name scopes
 * and mask metadata (the plan admits no masks): the plan calls them directly. Any other layer runs through `apply`.
 */
const DIRECT_CALL = new Set([
  'Dense',
  'Flatten',
  'Reshape',
  'Permute',
  'RepeatVector',
  'Activation',
  'ReLU',
  'LeakyReLU',
  'ELU',
  'ThresholdedReLU',
  'Softmax',
  'Add',
  'Multiply',
  'Average',
  'Maximum',
  'Minimum',
  'Concatenate',
  'GlobalAveragePooling1D',
  'GlobalAveragePooling2D',
  'GlobalMaxPooling1D',
  'GlobalMaxPooling2D',
  'MaxPooling1D',
  'MaxPooling2D',
  'AveragePooling1D',
  'AveragePooling2D',
  'Conv1D',
  'Conv2D',
  'DepthwiseConv2D',
  'SeparableConv2D',
  'ZeroPadding2D',
  'Cropping2D',
  'UpSampling2D',
  'BatchNormalization',
  'LayerNormalization',
]);

/** A Dense step for `node` when its input is rank 2 (tfjs-layers reshapes others around its matMul), else null. */
function denseStep(node: GraphNode, input: number): Step | null {
  const layer = node.outboundLayer;
  if (layer.getClassName() !== 'Dense' || layer.activityRegularizer != null) return null;
  if (node.inputTensors[0].shape.length !== 2) return null;
  const name = (layer.activation as { getClassName(): string } | null)?.getClassName() ?? 'linear';
  const activation = name === 'relu' || name === 'relu6' || name === 'linear' ? name : null;
  return { kind: 'dense', layer, activation, input, output: node.outputTensors[0].id };
}

/**
 * GlobalAveragePooling2D as an average pool whose window is the whole map, when the map's size is known: the same
 * mean, where tfjs' Mean over axes 1 and 2 transposes the input first (1.3 ms against 0.2 ms for MobileNetV2's
 * [64, 3, 3, 1280] on one backend measured, docs/benchmarks.md).
 */
function poolStep(node: GraphNode, input: number): Step | null {
  const layer = node.outboundLayer;
  if (layer.getClassName() !== 'GlobalAveragePooling2D' || layer.getConfig().dataFormat !== 'channelsLast') return null;
  const [, h, w] = node.inputTensors[0].shape;
  if (node.inputTensors[0].shape.length !== 4 || h == null || w == null) return null;
  return { kind: 'pool', layer, window: [h, w], input, output: node.outputTensors[0].id };
}

function directCall(layer: GraphLayer): boolean {
  return DIRECT_CALL.has(layer.getClassName()) && layer.activityRegularizer == null;
}

const CONVS = new Set(['Conv2D', 'DepthwiseConv2D']);

/** 'relu' / 'relu6' when `layer` is a plain ReLU (layer or activation) that a fused conv can run; else null. */
function fusableActivation(layer: GraphLayer): FusedActivation | null {
  const c = layer.getConfig();
  if (layer.getClassName() === 'ReLU') {
    if (c.maxValue == null) return 'relu';
    return c.maxValue === 6 ? 'relu6' : null;
  }
  if (layer.getClassName() === 'Activation' && (c.activation === 'relu' || c.activation === 'relu6'))
    return c.activation;
  return null;
}

function foldableConv(layer: GraphLayer): boolean {
  const c = layer.getConfig();
  return (
    CONVS.has(layer.getClassName()) &&
    c.dataFormat === 'channelsLast' &&
    (c.activation === 'linear' || c.activation == null) &&
    (c.padding === 'same' || c.padding === 'valid')
  );
}

function foldableBn(layer: GraphLayer): boolean {
  if (layer.getClassName() !== 'BatchNormalization') return false;
  const axis = layer.getConfig().axis;
  return axis === -1 || axis === 3;
}

/** True when `padding` ([[top, bottom], [left, right]]) on an input of spatial size `size` is what 'same' pads for `conv`. */
function padsAsSame(conv: GraphLayer, padding: number[][], size: (number | null)[]): boolean {
  const c = conv.getConfig();
  const [k, s, d] = [c.kernelSize, c.strides, c.dilationRate] as number[][];
  return [0, 1].every((i) => {
    const n = size[i];
    if (n == null) return false;
    const total = Math.max((Math.ceil(n / s[i]) - 1) * s[i] + (k[i] - 1) * d[i] + 1 - n, 0);
    const before = Math.floor(total / 2);
    return padding[i][0] === before && padding[i][1] === total - before;
  });
}

/** Each 'valid' conv whose input is a ZeroPadding2D (its sole reader) padding exactly as 'same' would: that padding. */
function paddingsAsSame(
  nodes: GraphNode[],
  readers: Map<number, GraphNode[]>,
  uses: Map<number, number>,
): Map<GraphNode, GraphNode> {
  const found = new Map<GraphNode, GraphNode>();
  for (const n of nodes) {
    const c = n.outboundLayer.getConfig();
    if (n.outboundLayer.getClassName() !== 'ZeroPadding2D' || c.dataFormat !== 'channelsLast') continue;
    const conv = soleReader(n.outputTensors[0].id, readers, uses);
    if (!conv || !foldableConv(conv.outboundLayer) || conv.outboundLayer.getConfig().padding !== 'valid') continue;
    if (padsAsSame(conv.outboundLayer, c.padding as number[][], n.inputTensors[0].shape.slice(1, 3)))
      found.set(conv, n);
  }
  return found;
}

/** Why a model cannot be planned, or null when every node is single-input/single-output-safe. */
function unsupported(net: GraphModel): string | null {
  if (net.inputs.length !== 1 || net.outputs.length !== 1) return 'the model has several inputs or outputs';
  for (const l of net.layers) {
    const name = l.getClassName();
    if (name === 'Masking' || (name === 'Embedding' && l.getConfig().maskZero)) return `layer ${l.name} makes a mask`;
  }
  return null;
}

function orderedNodes(net: GraphModel): GraphNode[] {
  const depths = Object.keys(net.nodesByDepth)
    .map(Number)
    .sort((a, b) => b - a);
  return depths.flatMap((d) => net.nodesByDepth[d]).filter((n) => n.outboundLayer.getClassName() !== 'InputLayer');
}

/** The single node reading tensor `id`, when exactly one reads it and it is not the model's output. */
function soleReader(id: number, readers: Map<number, GraphNode[]>, uses: Map<number, number>): GraphNode | null {
  const r = readers.get(id);
  return r && r.length === 1 && uses.get(id) === 1 ? r[0] : null;
}

/** The functional graph that runs `model`: a Sequential's inner model, built as its own predict would build it. */
function graphOf(model: tfl.LayersModel): GraphModel | null {
  const seq = model as unknown as { model?: GraphModel; build?: () => void; getClassName(): string };
  if (seq.getClassName() !== 'Sequential') return model as unknown as GraphModel;
  if (seq.model == null && model.inputs?.length) seq.build?.();
  return seq.model ?? null;
}

/**
 * The network's nodes in execution order, with each Conv2D/DepthwiseConv2D whose only reader is a
 * BatchNormalization (and that one's only reader a ReLU/ReLU6) merged into one fused-conv step, and layers that
 * are the identity at inference (Dropout, GaussianNoise ...) left out. `folded` counts the fused convs (0 when
 * none folds: the plan then only saves tfjs-layers' per-layer overhead). A string says why the model is not
 * planned (it then runs as tfjs-layers runs it).
 */
export function planInference(model: tfl.LayersModel): Plan | string {
  const net = graphOf(model);
  if (!net?.nodesByDepth) return 'not a tfjs-layers graph model';
  const why = unsupported(net);
  if (why) return why;
  const nodes = orderedNodes(net);
  const readers = new Map<number, GraphNode[]>();
  const uses = new Map<number, number>();
  for (const n of nodes) {
    if (n.outputTensors.length !== 1) return `layer ${n.outboundLayer.name} has several outputs`;
    for (const t of n.inputTensors) {
      readers.set(t.id, [...(readers.get(t.id) ?? []), n]);
      uses.set(t.id, (uses.get(t.id) ?? 0) + 1);
    }
  }
  const output = net.outputs[0].id;
  uses.set(output, (uses.get(output) ?? 0) + 1);
  const padded = paddingsAsSame(nodes, readers, uses);
  const absorbed = new Set<GraphNode>(padded.values());
  // an identity layer's output is read as its input: `same` maps each such id to the tensor it stands for
  const same = new Map<number, number>();
  const id = (t: number) => same.get(t) ?? t;
  const steps: Step[] = [];
  let folded = 0;
  for (const n of nodes) {
    if (absorbed.has(n)) continue;
    const layer = n.outboundLayer;
    const out = n.outputTensors[0].id;
    // a call made with `training: true` (Monte Carlo dropout) keeps its noise at inference: that one runs
    if (IDENTITY_AT_INFERENCE.has(layer.getClassName()) && n.inputTensors.length === 1 && !n.callArgs?.training) {
      same.set(out, id(n.inputTensors[0].id));
      continue;
    }
    if (n.inputTensors.length === 1 && foldableConv(layer)) {
      let last = out;
      const bnNode = soleReader(out, readers, uses);
      const bn = bnNode && foldableBn(bnNode.outboundLayer) && !bnNode.callArgs?.training ? bnNode : null;
      if (bn) last = bn.outputTensors[0].id;
      const actNode = soleReader(last, readers, uses);
      const activation = actNode ? fusableActivation(actNode.outboundLayer) : null;
      if (actNode && activation) last = actNode.outputTensors[0].id;
      const pad = padded.get(n);
      const config = layer.getConfig();
      if (bn || activation || pad) {
        for (const m of [bn, activation ? actNode : null]) if (m) absorbed.add(m);
        steps.push({
          kind: 'conv',
          conv: layer,
          bn: bn?.outboundLayer ?? null,
          activation: activation ?? 'linear',
          depthwise: layer.getClassName() === 'DepthwiseConv2D',
          pad: pad ? 'same' : (config.padding as 'same' | 'valid'),
          strides: config.strides as [number, number],
          dilations: config.dilationRate as [number, number],
          input: id((pad ?? n).inputTensors[0].id),
          output: last,
        });
        folded++;
        continue;
      }
    }
    const inputs = n.inputTensors.map((t) => id(t.id));
    const own = n.inputTensors.length === 1 ? (denseStep(n, inputs[0]) ?? poolStep(n, inputs[0])) : null;
    if (own) {
      steps.push(own);
      continue;
    }
    steps.push({ kind: 'layer', layer, direct: directCall(layer), inputs, output: out, args: n.callArgs ?? {} });
  }
  return { input: net.inputs[0].id, output: id(output), steps, uses: usesOf(steps, id(output)), folded };
}

/** The tensors a step reads. */
export function stepInputs(step: Step): number[] {
  return step.kind === 'layer' ? step.inputs : [step.input];
}

/** How many steps read each tensor, the output counting once more. */
function usesOf(steps: Step[], output: number): Map<number, number> {
  const uses = new Map<number, number>([[output, 1]]);
  for (const step of steps) for (const t of stepInputs(step)) uses.set(t, (uses.get(t) ?? 0) + 1);
  return uses;
}

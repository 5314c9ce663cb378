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

/** One step of an inference plan: a layer run as is, or a conv with the BatchNormalization/ReLU after it folded in. */
export type Step =
  | { kind: 'layer'; layer: GraphLayer; inputs: number[]; output: number; args: Record<string, unknown> }
  | {
      kind: 'conv';
      conv: GraphLayer;
      bn: GraphLayer | null;
      activation: FusedActivation;
      depthwise: boolean;
      /** 'same' also where a ZeroPadding2D before a 'valid' conv pads exactly as 'same' would (MobileNetV2's). */
      pad: 'same' | 'valid';
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
 * BatchNormalization (and that one's only reader a ReLU/ReLU6) merged into one fused-conv step.
 * A string says why the model is not planned (it then runs as tfjs-layers runs it).
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
  const steps: Step[] = [];
  let folded = 0;
  for (const n of nodes) {
    if (absorbed.has(n)) continue;
    const layer = n.outboundLayer;
    const out = n.outputTensors[0].id;
    if (n.inputTensors.length === 1 && foldableConv(layer)) {
      let last = out;
      const bnNode = soleReader(out, readers, uses);
      const bn = bnNode && foldableBn(bnNode.outboundLayer) ? bnNode : null;
      if (bn) last = bn.outputTensors[0].id;
      const actNode = soleReader(last, readers, uses);
      const activation = actNode ? fusableActivation(actNode.outboundLayer) : null;
      if (actNode && activation) last = actNode.outputTensors[0].id;
      const pad = padded.get(n);
      if (bn || activation || pad) {
        for (const m of [bn, activation ? actNode : null]) if (m) absorbed.add(m);
        steps.push({
          kind: 'conv',
          conv: layer,
          bn: bn?.outboundLayer ?? null,
          activation: activation ?? 'linear',
          depthwise: layer.getClassName() === 'DepthwiseConv2D',
          pad: pad ? 'same' : (layer.getConfig().padding as 'same' | 'valid'),
          input: (pad ?? n).inputTensors[0].id,
          output: last,
        });
        folded++;
        continue;
      }
    }
    steps.push({ kind: 'layer', layer, inputs: n.inputTensors.map((t) => t.id), output: out, args: n.callArgs ?? {} });
  }
  if (folded === 0) return 'no Conv2D/DepthwiseConv2D followed by BatchNormalization or ReLU';
  return { input: net.inputs[0].id, output, steps, uses, folded };
}

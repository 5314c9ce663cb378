import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { type FoldedConv, foldConv, foldKey, foldSources } from './fold';
import { type GraphLayer, type Plan, planInference, type Step } from './plan';

type ConvStep = Extract<Step, { kind: 'conv' }>;

interface Entry {
  plan: Plan | string;
  folds: Map<ConvStep, FoldedConv>;
}

const ENTRIES = new WeakMap<object, Entry>();
const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
let enabled = env?.GRAFT_FOLD !== '0';

/**
 * Turns BatchNormalization folding for inference on or off (on by default; GRAFT_FOLD=0 in the environment starts
 * it off). Off, inference runs every layer as tfjs-layers does. Training never folds.
 */
export function setInferenceFolding(on: boolean): void {
  enabled = on;
}

function entry(net: tfl.LayersModel): Entry {
  let e = ENTRIES.get(net);
  if (!e) {
    e = { plan: planInference(net), folds: new Map() };
    ENTRIES.set(net, e);
  }
  return e;
}

/** How inference runs on `net`: the number of fused conv steps, or why it runs unfolded. */
export function inferencePlanStatus(net: tfl.LayersModel): { folded: number } | { reason: string } {
  if (!enabled) return { reason: 'folding is off (setInferenceFolding(false) or GRAFT_FOLD=0)' };
  const plan = entry(net).plan;
  return typeof plan === 'string' ? { reason: plan } : { folded: plan.folded };
}

/** The step's folded weights, made again when any weight it reads has new storage since the last fold. */
function weightsOf(e: Entry, step: ConvStep): FoldedConv {
  const held = e.folds.get(step);
  if (held && held.key === foldKey(foldSources(step.conv, step.bn, step.depthwise))) return held;
  if (held) tf.dispose([held.kernel, held.bias as tf.Tensor]);
  const fresh = foldConv(step.conv, step.bn, step.depthwise);
  e.folds.set(step, fresh);
  return fresh;
}

function runConv(e: Entry, step: ConvStep, x: tf.Tensor4D): tf.Tensor {
  const { kernel, bias } = weightsOf(e, step);
  const c = step.conv.getConfig();
  const args = {
    x,
    bias,
    strides: c.strides as [number, number],
    pad: step.pad,
    dilations: c.dilationRate as [number, number],
    activation: step.activation,
  };
  return step.depthwise
    ? tf.fused.depthwiseConv2d({ ...args, filter: kernel })
    : tf.fused.conv2d({ ...args, filter: kernel });
}

function runLayer(step: Extract<Step, { kind: 'layer' }>, inputs: tf.Tensor[]): tf.Tensor {
  // a nested model (a base inside a Sequential) folds its own convs
  const nested = inputs.length === 1 && 'nodesByDepth' in step.layer;
  const y = nested ? foldedApply(step.layer as unknown as tfl.LayersModel, inputs[0]) : null;
  if (y) return y;
  const x = inputs.length === 1 ? inputs[0] : inputs;
  return (step.layer as GraphLayer).apply(x, { ...step.args, training: false }) as tf.Tensor;
}

function execute(e: Entry, plan: Plan, x: tf.Tensor): tf.Tensor {
  const values = new Map<number, tf.Tensor>([[plan.input, x]]);
  const left = new Map(plan.uses);
  for (const step of plan.steps) {
    const ins = step.kind === 'conv' ? [step.input] : step.inputs;
    const inputs = ins.map((id) => values.get(id) as tf.Tensor);
    const y = step.kind === 'conv' ? runConv(e, step, inputs[0] as tf.Tensor4D) : runLayer(step, inputs);
    values.set(step.output, y);
    // free each value after its last reader (the input is the caller's)
    for (const id of ins) {
      const n = (left.get(id) ?? 0) - 1;
      left.set(id, n);
      if (n === 0 && id !== plan.input) (values.get(id) as tf.Tensor).dispose();
    }
  }
  return values.get(plan.output) as tf.Tensor;
}

/**
 * `net.apply(x, { training: false })` with each conv + BatchNormalization (+ ReLU/ReLU6) run as one fused conv on
 * folded weights; null when folding is off or the model is not planned (see inferencePlanStatus), so the caller
 * runs the model itself. float32 only.
 */
export function foldedApply(net: tfl.LayersModel, x: tf.Tensor): tf.Tensor | null {
  if (!enabled || x.dtype !== 'float32') return null;
  const e = entry(net);
  if (typeof e.plan === 'string') return null;
  const plan = e.plan;
  return tf.tidy(() => execute(e, plan, x));
}

/** Inference on `net` (`net.apply(x, { training: false })`), folded where the model allows. */
export function inferenceApply(net: tfl.LayersModel, x: tf.Tensor): tf.Tensor {
  return foldedApply(net, x) ?? tf.tidy(() => net.apply(x, { training: false }) as tf.Tensor);
}

/** How many tensors of folded weights are held for `net` and the models nested in it (they live until release). */
export function heldFoldedTensors(net: tfl.LayersModel): number {
  let n = 0;
  for (const layer of net.layers)
    if ('nodesByDepth' in layer) n += heldFoldedTensors(layer as unknown as tfl.LayersModel);
  for (const f of ENTRIES.get(net)?.folds.values() ?? []) n += f.bias ? 2 : 1;
  return n;
}

/** Frees the folded weights held for `net` (called when the model is disposed); a later call folds afresh. */
export function releaseFolded(net: tfl.LayersModel): void {
  for (const layer of net.layers) if ('nodesByDepth' in layer) releaseFolded(layer as unknown as tfl.LayersModel);
  const e = ENTRIES.get(net);
  if (!e) return;
  for (const f of e.folds.values()) tf.dispose([f.kernel, f.bias as tf.Tensor]);
  e.folds.clear();
}

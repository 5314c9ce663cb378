import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { type FoldedConv, foldConv, foldKey, foldSources } from './fold';
import { type GraphLayer, type Plan, planInference, type Step, stepInputs } from './plan';

type ConvStep = Extract<Step, { kind: 'conv' }>;

interface Entry {
  plan: Plan | string;
  folds: Map<ConvStep, FoldedConv>;
}

const ENTRIES = new WeakMap<object, Entry>();
const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
let enabled = env?.GRAFT_FOLD !== '0';

/**
 * Turns the inference plan on or off: BatchNormalization folded into convs, and every layer run without
 * tfjs-layers' per-layer `apply` (on by default; GRAFT_FOLD=0 in the environment starts it off). Off, inference
 * runs every layer as tfjs-layers does. Training never runs the plan.
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

/** The plan inference runs on `net`, or null where it runs as tfjs-layers runs it (folding off, or not plannable). */
function planOf(net: tfl.LayersModel): { e: Entry; plan: Plan } | null {
  if (!enabled) return null;
  const e = entry(net);
  return typeof e.plan === 'string' ? null : { e, plan: e.plan };
}

/** How inference runs on `net`: the number of fused conv steps, or why it runs unfolded. */
export function inferencePlanStatus(net: tfl.LayersModel): { folded: number } | { reason: string } {
  if (!enabled) return { reason: 'folding is off (setInferenceFolding(false) or GRAFT_FOLD=0)' };
  const plan = entry(net).plan;
  if (typeof plan === 'string') return { reason: plan };
  // such a model still runs planned (see plannedApply), with every layer as it is
  if (plan.folded === 0) return { reason: 'no Conv2D/DepthwiseConv2D followed by BatchNormalization or ReLU' };
  return { folded: plan.folded };
}

/** True when inference on `x` through `net` runs its plan (plannedApply gives a tensor, not null). */
export function runsPlanned(net: tfl.LayersModel, x: tf.Tensor): boolean {
  return x.dtype === 'float32' && planOf(net) != null;
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
  const args = {
    x,
    bias,
    strides: step.strides,
    pad: step.pad,
    dilations: step.dilations,
    activation: step.activation,
  };
  return step.depthwise
    ? tf.fused.depthwiseConv2d({ ...args, filter: kernel })
    : tf.fused.conv2d({ ...args, filter: kernel });
}

function runLayer(step: Extract<Step, { kind: 'layer' }>, inputs: tf.Tensor[]): tf.Tensor {
  // a nested model (a base inside a Sequential) runs its own plan
  const nested = inputs.length === 1 && 'nodesByDepth' in step.layer;
  const y = nested ? plannedApply(step.layer as unknown as tfl.LayersModel, inputs[0]) : null;
  if (y) return y;
  const x = inputs.length === 1 ? inputs[0] : inputs;
  // tfjs-layers runs a graph's layers with their call's own arguments (training: true where a call said so)
  const kwargs = { training: false, ...step.args };
  if (!step.direct) return (step.layer as GraphLayer).apply(x, kwargs) as tf.Tensor;
  const out = (step.layer as unknown as { call(x: unknown, kwargs: unknown): tf.Tensor }).call(x, kwargs);
  // as apply does: a layer that hands back its input gives a copy, so freeing one never frees the other
  return inputs.includes(out) ? out.clone() : out;
}

interface DenseLayer {
  kernel: { read(): tf.Tensor };
  bias: { read(): tf.Tensor } | null;
  activation: { apply(x: tf.Tensor): tf.Tensor };
}

/** Dense as tfjs-layers runs it on a rank-2 input, with the bias always inside the matMul (one kernel fewer). */
function runDense(step: Extract<Step, { kind: 'dense' }>, x: tf.Tensor): tf.Tensor {
  const layer = step.layer as unknown as DenseLayer;
  const a = x as tf.Tensor2D;
  const b = layer.kernel.read() as tf.Tensor2D;
  const bias = layer.bias?.read();
  const y = tf.fused.matMul({ a, b, bias, activation: step.activation ?? 'linear' });
  if (step.activation) return y;
  const out = layer.activation.apply(y);
  y.dispose();
  return out;
}

function runPool(step: Extract<Step, { kind: 'pool' }>, x: tf.Tensor4D): tf.Tensor {
  const pooled = tf.avgPool(x, step.window, step.window, 'valid');
  const y = tf.reshape(pooled, [x.shape[0], x.shape[3]]);
  pooled.dispose();
  return y;
}

function runStep(e: Entry, step: Step, inputs: tf.Tensor[]): tf.Tensor {
  if (step.kind === 'conv') return runConv(e, step, inputs[0] as tf.Tensor4D);
  if (step.kind === 'pool') return runPool(step, inputs[0] as tf.Tensor4D);
  return step.kind === 'dense' ? runDense(step, inputs[0]) : runLayer(step, inputs);
}

function execute(e: Entry, plan: Plan, x: tf.Tensor): tf.Tensor {
  const values = new Map<number, tf.Tensor>([[plan.input, x]]);
  const left = new Map(plan.uses);
  for (const step of plan.steps) {
    const ins = stepInputs(step);
    const inputs = ins.map((id) => values.get(id) as tf.Tensor);
    const y = runStep(e, step, inputs);
    values.set(step.output, y);
    // free each value after its last reader (the input is the caller's)
    for (const id of ins) {
      const n = (left.get(id) ?? 0) - 1;
      left.set(id, n);
      if (n === 0 && id !== plan.input) (values.get(id) as tf.Tensor).dispose();
    }
  }
  const y = values.get(plan.output) as tf.Tensor;
  // a plan of identities only hands back its input: the caller owns that one
  return y === x ? x.clone() : y;
}

/**
 * `net.apply(x, { training: false })` run from its plan: each conv + BatchNormalization (+ ReLU/ReLU6) as one fused
 * conv on folded weights, identity layers skipped, and the other layers called directly where tfjs-layers' `apply`
 * adds only checks. Null when folding is off or the model is not planned (see inferencePlanStatus), so the caller
 * runs the model itself. float32 only.
 */
export function plannedApply(net: tfl.LayersModel, x: tf.Tensor): tf.Tensor | null {
  const p = x.dtype === 'float32' ? planOf(net) : null;
  return p ? tf.tidy(() => execute(p.e, p.plan, x)) : null;
}

/** plannedApply where at least one conv folds; else null (inferencePlanStatus says why). */
export function foldedApply(net: tfl.LayersModel, x: tf.Tensor): tf.Tensor | null {
  const p = planOf(net);
  return p && p.plan.folded > 0 ? plannedApply(net, x) : null;
}

/** Inference on `net` (`net.apply(x, { training: false })`), from its plan where the model allows. */
export function inferenceApply(net: tfl.LayersModel, x: tf.Tensor): tf.Tensor {
  return plannedApply(net, x) ?? tf.tidy(() => net.apply(x, { training: false }) as tf.Tensor);
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

import { describe, GraftError, type Preprocessing } from '@graftjs/core';
import { withEmbed } from '@graftjs/core/adapter';
import type * as tf from '@tensorflow/tfjs-core';
import { decodeOnnx } from '../onnx/decode';
import { createSession } from '../runtime/ort-env';
import { checkBatch, runBatch, type SessionIO } from '../runtime/run-session';
import { backboneGraphs } from './backbone-graphs';
import { planFeatureOutput } from './feature-output';
import { graphInput } from './graph-input';
import { loadBytes } from './load-bytes';
import type { OnnxBackbone, OnnxGraphSource } from './onnx-graph-source';
import { probeFeatureShape } from './probe-features';

export interface OnnxBackboneOptions {
  /** Tensor whose value is the feature; default: picked automatically (see planFeatureOutput). */
  featureOutput?: string;
  /** Graph input to feed; default: the only one. */
  inputName?: string;
  /** Layout of a rank-4 graph input; default: guessed from where the 1/3-channel axis is. */
  layout?: 'nchw' | 'nhwc';
  /** How images become the graph's input (required for image inputs). */
  preprocessing?: Preprocessing;
  name?: string;
}

function defaultName(what: string): string {
  const base = what.split(/[\\/]/).pop() ?? what;
  return what === 'the given bytes' ? 'onnx-backbone' : base.replace(/\.onnx$/i, '');
}

/**
 * An ONNX model as a frozen feature extractor. Its internal feature tensor is made a graph output
 * (ONNX Runtime only returns outputs), one session is built and kept, and `extract` maps a
 * preprocessed NHWC batch to [N, ...featureShape] (rank-4 features of NCHW graphs come back NHWC).
 */
export async function onnxBackbone(
  src: Uint8Array | ArrayBuffer | string | URL,
  options: OnnxBackboneOptions = {},
): Promise<OnnxBackbone> {
  if (typeof options !== 'object' || options === null) {
    throw new GraftError('INVALID_OPTION', `onnxBackbone options must be an object, got ${describe(options)}`);
  }
  if (options.layout !== undefined && options.layout !== 'nchw' && options.layout !== 'nhwc') {
    throw new GraftError('INVALID_OPTION', `layout must be "nchw" or "nhwc", got ${describe(options.layout)}`);
  }
  const { bytes, what } = await loadBytes(src);
  const model = decodeOnnx(bytes, what);

  const graph = graphInput(model, options);
  const { input, layout, inputShape } = graph;

  const plan = planFeatureOutput(model, options.featureOutput);
  const graphs = backboneGraphs(bytes, model, plan, graph);
  const created = await createSession(graphs.session, what);
  const { session } = created;
  const io: SessionIO = {
    ...created,
    inputName: graphs.sessionInput,
    outputName: plan.name,
    sampleShape: inputShape,
    nchwOutput: layout === 'nchw',
    batchOfOne: input.dims?.[0] === 1,
  };

  const featureShape = await probeFeatureShape(io);

  const name = options.name ?? defaultName(what);
  const source: OnnxGraphSource = {
    format: 'onnx',
    bytes: graphs.exposed,
    inputName: input.name,
    featureOutput: plan.name,
    layout,
  };
  let released = false;
  return withEmbed({
    kind: 'extractor',
    name,
    inputShape,
    featureShape,
    preprocessing: options.preprocessing,
    frozenReason: `"${name}" is an ONNX model run by onnxruntime-${created.kind === 'native' ? 'node' : 'web'}, which computes no gradients: it can only extract features`,
    source,
    async extract(batch: tf.Tensor): Promise<tf.Tensor> {
      checkBatch(batch, inputShape, `ONNX backbone "${name}"`);
      return (await runBatch(io, batch)).tensor;
    },
    dispose() {
      if (released) return;
      released = true;
      void session.release().catch(() => undefined);
    },
  });
}

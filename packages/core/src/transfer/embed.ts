import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { describe, GraftError } from '../errors/graft-error';
import type { PredictInput } from '../model/predict-input';
import type { Backbone } from './backbone';
import { embedInput } from './embed-input';
import { type EmbedSource, rawSampleSpec } from './embed-source';
import { extractRows } from './extract-rows';
import { toBackbone } from './to-backbone';
import { type Pooling, TransferGraph } from './transfer-graph';
import { TransferModel } from './transfer-model';

export interface EmbedOptions {
  /** How a layers base's 4D feature map becomes vectors (Keras `pooling`); default 'avg'. Ignored by extractors. */
  pooling?: Pooling;
}

const POOLINGS: readonly Pooling[] = ['avg', 'max', 'flatten'];

// one stem per base and pooling: building it is graph surgery, and it holds no weights of its own
const stems = new WeakMap<Backbone, Map<Pooling, tfl.LayersModel>>();

/**
 * Feature extraction on a base (Keras `base.predict(x)` on a headless base): embeddings [n, d] of images (paths,
 * bytes, pixels, raw 0..255 tensors, a Dataset) or texts, in batches, as a float32 tensor the caller owns (free it
 * with `dispose()`, or read it with `await t.array()`). One sample gives [1, d]. The base is any `transfer()` takes:
 * a zoo or adapter backbone, a GraphModel, a tfjs LayersModel or graft Model (its output), or a TransferModel (its
 * base up to the cut, with its pooling and preprocessing; the same as `model.embed(x)`).
 */
export async function embed(base: unknown, x: PredictInput, options: EmbedOptions = {}): Promise<tf.Tensor2D> {
  return (await embedInput(x, embedSource(base, options))).embeddings;
}

/** The base's raw-sample spec and batch feature function; throws on a bad base or options before any work. */
export function embedSource(base: unknown, options: EmbedOptions = {}): EmbedSource {
  if (typeof options !== 'object' || options === null)
    throw new GraftError('INVALID_OPTION', `expected embed options as an object, got ${describe(options)}`);
  const pooling = options.pooling ?? 'avg';
  if (!POOLINGS.includes(pooling))
    throw new GraftError('INVALID_OPTION', `expected pooling 'avg', 'max' or 'flatten', got ${describe(pooling)}`);
  if (base instanceof TransferModel) return base.embedSource();
  const backbone = toBackbone(base, {});
  const pre = backbone.preprocessing;
  return {
    spec: rawSampleSpec(backbone, pre),
    extract: (rows) => extractRows(backbone, () => stemOf(backbone, pooling), pre, rows),
  };
}

function stemOf(backbone: Backbone, pooling: Pooling): tfl.LayersModel {
  let byPooling = stems.get(backbone);
  if (!byPooling) {
    byPooling = new Map();
    stems.set(backbone, byPooling);
  }
  let stem = byPooling.get(pooling);
  if (!stem) {
    const graph = new TransferGraph(backbone);
    graph.poolWith(pooling);
    stem = graph.stem();
    byPooling.set(pooling, stem);
  }
  return stem;
}

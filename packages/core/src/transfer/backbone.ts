import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/**
 * How raw RGB pixels (0..255, NHWC) become a backbone's input. Applied in this order:
 * resize to `size`, reorder channels, scale 0..255 into `range`, then `(x - mean) / std`.
 */
export interface Preprocessing {
  /** [height, width] the backbone expects. */
  size: [number, number];
  /** Target range for 0..255 input, e.g. [-1, 1] (MobileNet v1) or [0, 1]. Default [0, 1]. */
  range?: [number, number];
  /** Per-channel mean, subtracted after scaling into `range`. */
  mean?: [number, number, number];
  /** Per-channel std, divided after subtracting `mean`. */
  std?: [number, number, number];
  /** Channel order the backbone was trained with. Default 'rgb'. */
  channelOrder?: 'rgb' | 'bgr';
}

interface BackboneCommon {
  /** Human-readable name, e.g. "mobilenet_v1_0.25_224". */
  name: string;
  /** Applied to images before the backbone; absent for non-image inputs. */
  preprocessing?: Preprocessing;
  /** Input shape of one sample, without the batch dimension (NHWC for images). */
  inputShape: number[];
}

/** A tfjs LayersModel base: can be frozen, partly unfrozen and fine-tuned. */
export interface LayersBackbone extends BackboneCommon {
  kind: 'layers';
  model: LayersModel;
  /** Layer whose output is the feature map (e.g. "conv_pw_13_relu"); default: the model's output. */
  featureLayer?: string;
}

/**
 * A base that only computes features (a tfjs GraphModel, or a model an adapter runs outside tfjs): always frozen.
 * `extract` takes a preprocessed NHWC float batch and resolves to features [N, ...featureShape].
 */
export interface ExtractorBackbone extends BackboneCommon {
  kind: 'extractor';
  featureShape: number[];
  extract(batch: tf.Tensor): Promise<tf.Tensor>;
  /** 'text': `extract` takes rows of texts (decode them with `textsFromRows`); predict and fit take strings. */
  input?: 'text';
  /**
   * The name a saved model refers to this base by; such a model saves its head alone and `loadModel(dir, { base })`
   * joins it to the base again. Absent: the model cannot be saved in the tfjs layers format.
   */
  reference?: string;
  /** Why it cannot be trained, for the error a user sees on unfreeze. */
  frozenReason: string;
  /** Optional, for export: the extractor's own graph, which an exporter of the same format joins with the head. */
  source?: ExtractorGraph;
  dispose?(): void;
}

/**
 * A frozen base's own graph as the adapter that made it describes it (bytes, node names, layout ...). Core passes it
 * along unread; `format` names the export format whose exporter can read it.
 */
export interface ExtractorGraph {
  readonly format: string;
}

export type Backbone = LayersBackbone | ExtractorBackbone;

export function isBackbone(x: unknown): x is Backbone {
  return (
    typeof x === 'object' &&
    x !== null &&
    ((x as Backbone).kind === 'layers' || (x as Backbone).kind === 'extractor') &&
    typeof (x as Backbone).name === 'string'
  );
}

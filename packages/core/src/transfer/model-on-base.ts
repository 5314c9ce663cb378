import type * as tfl from '@tensorflow/tfjs-layers';
import { describe, GraftError } from '../errors/graft-error';
import type { ModelMetadata } from '../model/metadata';
import { Model } from '../model/model';
import type { ExtractorBackbone } from './backbone';
import { FrozenStemStage } from './frozen-stem-stage';

/**
 * A loaded head joined again to the frozen base it was saved on (named by `meta.base`, never copied into the save):
 * it predicts, evaluates and trains on that base's features, cached as a transfer model's are.
 */
export function modelOnBase(head: tfl.LayersModel, meta: ModelMetadata, base: ExtractorBackbone | undefined): Model {
  if (base === undefined)
    throw new GraftError(
      'BASE_REQUIRED',
      `this model was saved on the base "${meta.base}", which is referenced, not saved: load that base and pass it, loadModel(dir, { base })`,
    );
  if (typeof base !== 'object' || base === null || base.kind !== 'extractor' || base.reference !== meta.base)
    throw new GraftError(
      'INVALID_BASE',
      `expected the base "${meta.base ?? 'none'}" this model was saved on, got ${describe((base as ExtractorBackbone)?.reference ?? base)}`,
    );
  const nets = {
    stem: (): tfl.LayersModel => {
      throw new GraftError('INVALID_BASE', 'a frozen extractor base has no layers stem');
    },
    head: () => head,
    net: () => head,
  };
  return new Model(head, meta, new FrozenStemStage(base, nets, undefined));
}

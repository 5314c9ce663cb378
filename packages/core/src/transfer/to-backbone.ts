import * as tfl from '@tensorflow/tfjs-layers';
import { describe, GraftError } from '../errors/graft-error';
import { Model } from '../model/model';
import { type Backbone, isBackbone, type LayersBackbone, type Preprocessing } from './backbone';
import { type GraphExtractorOptions, graphExtractor, isGraphModel } from './graph-extractor';

/** Any base `transfer()` takes, as a Backbone: a zoo backbone as is, a graft Model or tfjs model wrapped. */
export function toBackbone(base: unknown, options: GraphExtractorOptions): Backbone {
  if (isBackbone(base)) return base;
  if (base instanceof Model) {
    const meta = base.metadata();
    return layersBackbone(base.net, options.preprocessing ?? meta.preprocessing);
  }
  if (base instanceof tfl.LayersModel) return layersBackbone(base, options.preprocessing);
  if (isGraphModel(base)) return graphExtractor(base, options);
  throw new GraftError(
    'INVALID_BASE',
    `expected a tfjs LayersModel, a GraphModel, a zoo backbone or a graft Model, got ${describe(base)}`,
  );
}

function layersBackbone(model: tfl.LayersModel, preprocessing?: Preprocessing): LayersBackbone {
  return {
    kind: 'layers',
    name: model.name,
    model,
    inputShape: model.inputs[0].shape.slice(1) as number[],
    preprocessing,
  };
}

import { backends } from '../backends/registry';
import { describe, GraftError } from '../errors/graft-error';
import { outputUnits } from '../model/compile';
import { Model } from '../model/model';
import type { PredictInput } from '../model/predict-input';
import { type ClassRequest, requestedClass } from './class-choice';
import { explainInput } from './explain-input';
import { type Explanation, explanation } from './explanation';
import { gradCam } from './grad-cam';
import { tensorsUpTo } from './graph-run';
import { findTarget } from './target-layer';

export interface ExplainOptions extends ClassRequest {
  /**
   * The layer whose activations are weighed (Keras tutorial's `last_conv_layer_name`). Default: the last layer whose
   * output is a 4-D feature map after a convolution, the map that pooling or flatten turns into a vector.
   */
  layer?: string;
}

/**
 * Grad-CAM: where in `image` the model finds evidence for a class (the predicted one unless `classIndex` or `label`
 * says). `image` is one sample of whatever `predict` takes: a path (Node), bytes, pixels, a browser image, a tensor.
 * Works on sequential CNNs and transfer models on layers bases (frozen or not); the model is not changed. The
 * heatmap has the image's size as given (a photo's own size); see docs/explain.md.
 */
export async function explain(model: Model, image: PredictInput, options: ExplainOptions = {}): Promise<Explanation> {
  if (!(model instanceof Model))
    throw new GraftError('INVALID_OPTION', `expected a graft Model to explain, got ${describe(model)}`);
  if (typeof options !== 'object' || options === null)
    throw new GraftError('INVALID_OPTION', `expected explain options as an object, got ${describe(options)}`);
  const { net, stage, classNames } = model.explainSource();
  if (stage.exportSource().extractor)
    throw new GraftError(
      'GRAPH_MODEL_NOT_TRAINABLE',
      'explain needs gradients through the base, and this base runs outside tfjs-layers (a GraphModel or an extractor base has none); use a layers base (the zoo builds one)',
    );
  const target = findTarget(tensorsUpTo(net.outputs[0]), options.layer);
  const units = outputUnits(net);
  const requested = requestedClass(options, units === 1 ? 2 : units, classNames);
  await backends.ensure();
  const { input, height, width } = await explainInput(image, stage);
  try {
    const cam = await gradCam(net, target, input, [height, width], requested);
    const [h, w] = height ? [height, width] : cam.grid;
    return explanation({ ...cam, label: classNames?.[cam.classIndex], layer: target.name, height: h, width: w });
  } finally {
    input.dispose();
  }
}

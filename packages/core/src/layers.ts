/**
 * `import '@graftjs/core/layers'`: graft's own layer classes (normalization, resizing, centerCrop and the random*
 * augmentation layers) up front, registered with tfjs. Without it they load with a model's first fit, predict,
 * evaluate or save (and with loadModel); import it to read `model.net` or call `summary()` before any of those.
 */
import { layerKit } from './builder/layer-kit';
import { installLayerKit } from './builder/layer-kit-loader';

installLayerKit(layerKit);

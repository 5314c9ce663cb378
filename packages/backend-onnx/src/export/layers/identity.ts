import type { LayerConverter } from '../layer-call';

/** Layers that do nothing at inference (Dropout and the noise layers): the input passes through. */
export const identity: LayerConverter = (call) => call.inputs;

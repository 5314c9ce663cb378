import { runtimeOf } from '../backends/registry';

export type { InferenceRuntime, PreparedRuntime } from '../backends/entry';

/** The runtime outside tfjs that the named entry predicts with, if it has one and can run inference. */
export function getRuntime(name: string) {
  return runtimeOf(name);
}

import type { IOHandlerLike, ModelArtifacts } from './protocol';

type Saveable = { save(target: IOHandlerLike): Promise<void> };

/** Saves a model into memory (the tfjs artifacts) instead of a file, so its weights can cross postMessage. */
export async function captureArtifacts(model: Saveable): Promise<ModelArtifacts> {
  let captured: ModelArtifacts | null = null;
  const handler = {
    async save(artifacts: ModelArtifacts) {
      captured = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' as const } };
    },
  } as unknown as IOHandlerLike;
  await model.save(handler);
  if (!captured) throw new Error('the model saver produced no artifacts');
  return captured;
}

/** The weight buffers of artifacts, to transfer rather than copy them. */
export function weightBuffers(artifacts: ModelArtifacts): ArrayBuffer[] {
  const w = artifacts.weightData as ArrayBuffer | ArrayBuffer[] | undefined;
  if (!w) return [];
  return Array.isArray(w) ? w : [w];
}

/** A load handler over artifacts already in memory (what `loadModel` takes). */
export function fromArtifacts(artifacts: ModelArtifacts): IOHandlerLike {
  return { load: async () => artifacts } as IOHandlerLike;
}

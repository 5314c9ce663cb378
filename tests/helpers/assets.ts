import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** ../shared/assets beside the repository: real models and photos, never copied into the repo. */
export const ASSETS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/assets');
export const HAVE_ASSETS = existsSync(resolve(ASSETS, 'README.md'));

if (!HAVE_ASSETS)
  console.warn(`[graft tests] ${ASSETS} is absent: tests on real pretrained models and photos are SKIPPED`);

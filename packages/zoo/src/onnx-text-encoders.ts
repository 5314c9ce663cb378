import { describe, GraftError } from '@graftjs/core';
import type { OnnxDtype, OnnxEncoderFile } from './onnx-encoders';

/**
 * A published ONNX text encoder (a BERT export with its tokenizer.json) that `onnxTextEncoder`
 * (@graftjs/backend-onnx) loads as a frozen base. `unverified` lists what nobody here checked against the files.
 */
export interface OnnxTextEncoderEntry {
  name: string;
  format: 'onnx';
  /** The Hugging Face repository holding the ONNX files (transformers.js layout: onnx/model*.onnx, tokenizer.json). */
  repository: string;
  /** The model it was converted from. */
  source: string;
  /** 'main' means unpinned (files may change upstream). */
  revision: string;
  files: Partial<Record<OnnxDtype, OnnxEncoderFile>>;
  tokenizer: OnnxEncoderFile;
  /** How the model's authors pool token states into a sentence embedding. */
  pooling: 'mean' | 'cls';
  normalize: boolean;
  /** Tokens per text the model was made for (with [CLS] and [SEP]). */
  maxLength: number;
  embedding: number;
  licence: string;
  unverified: string[];
}

// transformers.js names a dtype's file onnx/model<suffix>.onnx: fp32 '', fp16 '_fp16', q8 '_quantized'
function repo(id: string): Pick<OnnxTextEncoderEntry, 'repository' | 'files' | 'tokenizer'> {
  const at = (file: string) => ({ url: `https://huggingface.co/${id}/resolve/main/${file}` });
  return {
    repository: `https://huggingface.co/${id}`,
    files: { fp32: at('onnx/model.onnx'), fp16: at('onnx/model_fp16.onnx'), q8: at('onnx/model_quantized.onnx') },
    tokenizer: at('tokenizer.json'),
  };
}

const SEEN_NOT_READ = 'the files themselves (never downloaded here): input and output names, the tokenizer.json';

/** Published ONNX text encoders graft knows by the names transformers.js users use. */
export const onnxTextEncoders: readonly OnnxTextEncoderEntry[] = Object.freeze([
  {
    name: 'all-MiniLM-L6-v2',
    format: 'onnx',
    ...repo('Xenova/all-MiniLM-L6-v2'),
    source: 'https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2',
    revision: 'main',
    pooling: 'mean',
    normalize: true,
    maxLength: 256,
    embedding: 384,
    licence: 'Apache-2.0',
    unverified: [
      SEEN_NOT_READ,
      'the fp16 file exists',
      "maxLength 256 (sentence-transformers' max_seq_length, from its model card)",
    ],
  },
  {
    name: 'bge-small-en-v1.5',
    format: 'onnx',
    ...repo('Xenova/bge-small-en-v1.5'),
    source: 'https://huggingface.co/BAAI/bge-small-en-v1.5',
    revision: 'main',
    pooling: 'cls',
    normalize: true,
    maxLength: 512,
    embedding: 384,
    licence: 'MIT',
    unverified: [
      SEEN_NOT_READ,
      'the fp16 file exists',
      "CLS pooling is BAAI's; the Xenova model card's transformers.js example pools 'mean'",
    ],
  },
  {
    name: 'gte-small',
    format: 'onnx',
    ...repo('Xenova/gte-small'),
    source: 'https://huggingface.co/thenlper/gte-small',
    revision: 'main',
    pooling: 'mean',
    normalize: true,
    maxLength: 512,
    embedding: 384,
    licence: 'MIT',
    unverified: [SEEN_NOT_READ, 'the fp16 file exists', 'the repository Xenova/gte-small'],
  },
]);

export interface OnnxTextEncoderSource {
  /** The first argument of `onnxTextEncoder`: the published files, or the folder given as `from`. */
  src: string | { model: string; tokenizer: string };
  /** Its second argument. */
  options: { name: string; pooling: 'mean' | 'cls'; normalize: boolean; maxLength: number };
}

/**
 * What `onnxTextEncoder(src, options)` needs for a catalogued text encoder: `dtype` picks the model file (default
 * fp32), `from` a folder (or base URL) holding a copy in the same layout instead of the published files.
 */
export function onnxTextEncoderSource(
  name: string,
  choice: { dtype?: OnnxDtype; from?: string } = {},
): OnnxTextEncoderSource {
  const entry = onnxTextEncoders.find((e) => e.name === name);
  if (!entry) {
    const known = onnxTextEncoders.map((e) => e.name);
    throw new GraftError('UNKNOWN_BACKBONE', `expected one of: ${known.join(', ')}; got ${describe(name)}`, { known });
  }
  const dtype = choice.dtype ?? 'fp32';
  const file = entry.files[dtype];
  if (!file) {
    const dtypes = Object.keys(entry.files).join(', ');
    throw new GraftError('INVALID_OPTION', `expected ${name} dtype among ${dtypes}; got ${describe(dtype)}`);
  }
  const { pooling, normalize, maxLength } = entry;
  return {
    src: choice.from ?? { model: file.url, tokenizer: entry.tokenizer.url },
    options: { name, pooling, normalize, maxLength },
  };
}

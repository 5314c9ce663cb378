import { describe, GraftError, type Preprocessing } from '@graftjs/core';

/** transformers.js dtype names (its `dtype` option); 'int8' is a statically quantized (QLinear) file. */
export type OnnxDtype = 'fp32' | 'fp16' | 'q8' | 'int8';

/** One file of an ONNX encoder, for one dtype. */
export interface OnnxEncoderFile {
  url: string;
  /** Pinned only where computed from the file itself (sha256sum); absent where we have not had the bytes. */
  bytes?: number;
  sha256?: string;
}

/**
 * A published ONNX image encoder that `onnxBackbone` (@graftjs/backend-onnx) loads as a frozen base. The fields
 * are what its options need; `unverified` lists what nobody here checked against the files themselves.
 */
export interface OnnxEncoderEntry {
  name: string;
  format: 'onnx';
  /** The model's page (Hugging Face repository or source repository). */
  repository: string;
  /** The revision the URLs point at; 'main' means unpinned (files may change upstream). */
  revision: string;
  files: Partial<Record<OnnxDtype, OnnxEncoderFile>>;
  inputName: string;
  layout: 'nchw' | 'nhwc';
  /** graft's preprocessing (resize to size, scale, normalise). */
  preprocessing: Preprocessing;
  /** How the model's own processor prepares images, where graft's plain resize differs (crop, interpolation). */
  sourcePreprocessing: string;
  /** The tensor whose value is the embedding; absent: onnxBackbone's automatic pick (input of the last Gemm/MatMul). */
  featureOutput?: string;
  /** Length of one embedding. */
  embedding: number;
  licence: string;
  /** Facts of this entry not checked against the files (empty: all checked here). */
  unverified: string[];
}

const IMAGENET: Preprocessing = {
  size: [224, 224],
  range: [0, 1],
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
  channelOrder: 'rgb',
};

// transformers.js resolves a dtype to `onnx/<file><suffix>.onnx`: fp32 '', fp16 '_fp16', q8 '_quantized'
// (huggingface/transformers.js packages/transformers/src/utils/dtypes.js, DEFAULT_DTYPE_SUFFIX_MAPPING).
function huggingFace(repo: string, file: string): Partial<Record<OnnxDtype, OnnxEncoderFile>> {
  const at = (suffix: string) => ({ url: `https://huggingface.co/${repo}/resolve/main/onnx/${file}${suffix}.onnx` });
  return { fp32: at(''), fp16: at('_fp16'), q8: at('_quantized') };
}

const MOBILENET_V4_CONV_SMALL: OnnxEncoderEntry = {
  name: 'mobilenetv4_conv_small',
  format: 'onnx',
  repository: 'https://huggingface.co/onnx-community/mobilenetv4_conv_small.e2400_r224_in1k',
  revision: 'main',
  files: huggingFace('onnx-community/mobilenetv4_conv_small.e2400_r224_in1k', 'model'),
  inputName: 'pixel_values',
  layout: 'nchw',
  preprocessing: IMAGENET,
  sourcePreprocessing: 'timm: resize to 256 (crop_pct 0.875, bicubic), centre crop 224, ImageNet mean/std',
  embedding: 1280,
  licence: 'Apache-2.0 (timm MobileNetV4)',
  unverified: [
    'the fp16 and q8 files exist (only the repository is seen used by transformers.js image-classification)',
    'input name pixel_values',
    "the embedding is the classifier's input (onnxBackbone's automatic pick), 1280-d",
    'timm preprocessing (crop_pct, interpolation)',
  ],
};

const DINOV2_SMALL: OnnxEncoderEntry = {
  name: 'dinov2_small',
  format: 'onnx',
  repository: 'https://huggingface.co/onnx-community/dinov2-small',
  revision: 'main',
  files: huggingFace('onnx-community/dinov2-small', 'model'),
  inputName: 'pixel_values',
  layout: 'nchw',
  preprocessing: IMAGENET,
  sourcePreprocessing: 'BitImageProcessor: resize shortest edge 256 (bicubic), centre crop 224, ImageNet mean/std',
  featureOutput: 'pooler_output',
  embedding: 384,
  licence: 'Apache-2.0 (facebook/dinov2-small)',
  unverified: [
    'the fp16 file exists (model.onnx and model_quantized.onnx are seen used by third-party code)',
    'the output pooler_output (the layer-normed CLS token); last_hidden_state [N, 257, 384] is seen used',
  ],
};

const CLIP_VIT_B32_IMAGE: OnnxEncoderEntry = {
  name: 'clip_vit_b32_image',
  format: 'onnx',
  repository: 'https://huggingface.co/Xenova/clip-vit-base-patch32',
  revision: 'main',
  // transformers.js' CLIPVisionModelWithProjection loads the file named vision_model
  files: huggingFace('Xenova/clip-vit-base-patch32', 'vision_model'),
  inputName: 'pixel_values',
  layout: 'nchw',
  preprocessing: {
    size: [224, 224],
    range: [0, 1],
    mean: [0.48145466, 0.4578275, 0.40821073],
    std: [0.26862954, 0.26130258, 0.27577711],
    channelOrder: 'rgb',
  },
  sourcePreprocessing: 'CLIP: resize shortest edge 224 (bicubic), centre crop 224, OpenAI CLIP mean/std',
  featureOutput: 'image_embeds',
  embedding: 512,
  licence: 'MIT (openai/clip-vit-base-patch32)',
  unverified: ['the fp16 file exists (vision_model.onnx and vision_model_quantized.onnx are seen used)'],
};

// The tested case: the file in ../shared/assets/mobilenetv2-12-int8, bytes and SHA-256 from sha256sum of it.
const MOBILENETV2_12_INT8: OnnxEncoderEntry = {
  name: 'mobilenetv2_12_int8',
  format: 'onnx',
  repository: 'https://github.com/onnx/models',
  revision: '3d6147f8729cafb4c79faf9c2f1eab1bf76213a2',
  files: {
    int8: {
      url: 'https://raw.githubusercontent.com/Lawrence-lugs/hwacc_design_garage/3d6147f8729cafb4c79faf9c2f1eab1bf76213a2/onnx_models/mobilenetv2-12-int8.onnx',
      bytes: 3655640,
      sha256: '83530ad811bc31d2b60a5599a21265a5057608c9b044b4ee758cc22f2309f54f',
    },
  },
  inputName: 'input',
  layout: 'nchw',
  preprocessing: IMAGENET,
  sourcePreprocessing: 'ONNX Model Zoo: resize 256, centre crop 224, ImageNet mean/std',
  embedding: 1280,
  licence: 'Apache-2.0 (ONNX Model Zoo)',
  unverified: ["the ONNX Model Zoo's own preprocessing (resize 256, crop 224)"],
};

/** Published ONNX image encoders graft knows, by name (transformers.js users know the first three). */
export const onnxEncoders: readonly OnnxEncoderEntry[] = Object.freeze([
  MOBILENET_V4_CONV_SMALL,
  DINOV2_SMALL,
  CLIP_VIT_B32_IMAGE,
  MOBILENETV2_12_INT8,
]);

export interface OnnxEncoderSource {
  /** A URL or a file path: the first argument of `onnxBackbone`. */
  src: string;
  /** Its second argument. */
  options: {
    name: string;
    inputName: string;
    layout: 'nchw' | 'nhwc';
    preprocessing: Preprocessing;
    featureOutput?: string;
  };
  /** The pinned SHA-256 of that file, where known (compare with `sha256Hex` of the bytes). */
  sha256?: string;
}

/**
 * What `onnxBackbone(src, options)` needs for a catalogued encoder: `dtype` picks the file (default fp32, or the
 * only one), `from` reads it from a local path or another URL instead of its published one.
 */
export function onnxEncoder(name: string, choice: { dtype?: OnnxDtype; from?: string } = {}): OnnxEncoderSource {
  const entry = onnxEncoders.find((e) => e.name === name);
  if (!entry) {
    const known = onnxEncoders.map((e) => e.name);
    throw new GraftError('UNKNOWN_BACKBONE', `expected one of: ${known.join(', ')}; got ${describe(name)}`, { known });
  }
  const dtypes = Object.keys(entry.files) as OnnxDtype[];
  const dtype = choice.dtype ?? (dtypes.length === 1 ? dtypes[0] : 'fp32');
  const file = entry.files[dtype];
  if (!file) {
    throw new GraftError('INVALID_OPTION', `expected ${name} dtype among ${dtypes.join(', ')}; got ${describe(dtype)}`);
  }
  const { inputName, layout, preprocessing, featureOutput } = entry;
  const options = {
    name,
    inputName,
    layout,
    preprocessing: { ...preprocessing },
    ...(featureOutput ? { featureOutput } : {}),
  };
  return { src: choice.from ?? file.url, options, sha256: file.sha256 };
}

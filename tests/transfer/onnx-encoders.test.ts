import { readFileSync } from 'node:fs';
import { onnxBackbone } from '@graftjs/backend-onnx';
import { transfer } from '@graftjs/core';
import { onnxEncoder, onnxEncoders, sha256Hex } from '@graftjs/zoo';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ASSETS, HAVE_ASSETS } from '../helpers/assets';
import { useBackend } from '../helpers/backends';

const INT8 = `${ASSETS}/mobilenetv2-12-int8/mobilenetv2-12-int8.onnx`;

describe('the ONNX encoder catalogue', () => {
  it('every entry has a URL per dtype, preprocessing, an input, an embedding size; pins are well formed', () => {
    expect(onnxEncoders.map((e) => e.name)).toEqual([
      'mobilenetv4_conv_small',
      'dinov2_small',
      'clip_vit_b32_image',
      'mobilenetv2_12_int8',
    ]);
    for (const e of onnxEncoders) {
      const files = Object.entries(e.files);
      expect(files.length, e.name).toBeGreaterThan(0);
      for (const [, f] of files) {
        expect(f?.url, e.name).toMatch(/^https:\/\/.+\.onnx$/);
        if (f?.sha256 !== undefined) {
          expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
          expect(f.bytes).toBeGreaterThan(0);
        }
      }
      expect(e.preprocessing.size).toEqual([224, 224]);
      expect(e.preprocessing.mean).toHaveLength(3);
      expect(e.preprocessing.std).toHaveLength(3);
      expect(e.inputName.length).toBeGreaterThan(0);
      expect(e.embedding).toBeGreaterThan(0);
      expect(e.sourcePreprocessing.length).toBeGreaterThan(0);
    }
    // the transformers.js encoders: fp32, fp16 and q8 as transformers.js names its files
    for (const e of onnxEncoders.slice(0, 3)) {
      expect(Object.keys(e.files), e.name).toEqual(['fp32', 'fp16', 'q8']);
      expect(e.files.fp16?.url.replace('_fp16.onnx', '.onnx')).toBe(e.files.fp32?.url);
      expect(e.files.q8?.url.replace('_quantized.onnx', '.onnx')).toBe(e.files.fp32?.url);
      expect(e.unverified.length, `${e.name} says what is unverified`).toBeGreaterThan(0);
    }
    expect(onnxEncoder('clip_vit_b32_image', { dtype: 'q8' }).src).toBe(
      'https://huggingface.co/Xenova/clip-vit-base-patch32/resolve/main/onnx/vision_model_quantized.onnx',
    );
    expect(onnxEncoder('dinov2_small').options.featureOutput).toBe('pooler_output');
    expect(() => onnxEncoder('dinov3')).toThrow(/UNKNOWN_BACKBONE.*dinov2_small/);
    expect(() => onnxEncoder('mobilenetv2_12_int8', { dtype: 'fp16' })).toThrow(/INVALID_OPTION.*int8/);
  });

  it.skipIf(!HAVE_ASSETS)(
    'the int8 MobileNetV2 loads through onnxBackbone from its catalogue entry',
    async () => {
      await useBackend('cpu');
      const { src, options, sha256 } = onnxEncoder('mobilenetv2_12_int8', { from: INT8 });
      expect(await sha256Hex(new Uint8Array(readFileSync(src)))).toBe(sha256);
      const base = await onnxBackbone(src, options);
      expect(base.featureShape).toEqual([1280]);
      const model = transfer(base, { seed: 1 }).addHead(2);
      const x = tf.randomUniform([2, 224, 224, 3], 0, 255, 'float32', 1);
      const p = await model.predict(x, { batch: true });
      expect(p).toHaveLength(2);
      x.dispose();
      await model.dispose();
    },
    120_000,
  );
});

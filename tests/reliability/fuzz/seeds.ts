import { exportOnnx } from '@graftjs/backend-onnx';
import type { Model } from '@graftjs/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { tinyClassifier } from '../fixtures';
import type { OnnxSeed } from './onnx-bytes';

/** A trained-shape tiny classifier to save (model.json seed) and export (ONNX seed). */
export async function seedModel(): Promise<Model> {
  const model = tinyClassifier();
  model.net; // build
  return model;
}

/** ONNX seeds: the dense classifier (vector input) and a small conv net (image input, NHWC). */
export async function onnxSeeds(model: Model): Promise<OnnxSeed[]> {
  const conv = tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [8, 8, 3], filters: 2, kernelSize: 3, activation: 'relu' }),
      tfl.layers.batchNormalization({}),
      tfl.layers.globalAveragePooling2d({}),
    ],
  });
  try {
    return [
      { name: 'dense', bytes: await model.export('onnx') },
      { name: 'conv', bytes: await exportOnnx({ net: conv }), preprocessing: { size: [8, 8] } },
    ];
  } finally {
    conv.dispose();
  }
}

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onnxBackbone } from '@graftjs/backend-onnx';
import {
  backends,
  Dataset,
  explain,
  fromDirectory,
  fromImages,
  type GraftErrorCode,
  type GraphModelLike,
  loadModel,
  type Model,
  sequential,
  transfer,
} from '@graftjs/core';
import { decodeImage } from '@graftjs/core/decode';
import { backbone, loadBackbone, mobilenetV1 } from '@graftjs/zoo';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { smallImageBase, tinyClassifier } from './fixtures';

/** What every case gets: a trained model and a dataset that must survive each bad call unchanged. */
export interface CatalogueContext {
  backend: string;
  model: Model;
  data: Dataset;
  x: number[][];
  y: number[];
  /** A temp folder holding `valid/` (the model saved) and damaged copies made by `modelDir`. */
  dir: string;
  /** The tiny model exported to ONNX. */
  onnx: Uint8Array;
}

export interface BadInput {
  area: string;
  name: string;
  code: GraftErrorCode;
  run(ctx: CatalogueContext): unknown;
  /** Set only for a reported bug: the case runs as `it.fails` until the lead fixes it. */
  bug?: string;
  /** The backends the bug shows on (default: all). */
  bugOn?: string[];
  /** Backends where the case does not apply (it is skipped there, visibly). */
  skipOn?: string[];
}

/** A copy of the saved model with `edit` applied to its files; returns the folder. */
function modelDir(ctx: CatalogueContext, name: string, edit: (json: Record<string, unknown>, dir: string) => unknown) {
  const dir = join(ctx.dir, `${ctx.backend}-${name}`);
  if (!existsSync(dir)) {
    mkdirSync(dir);
    const valid = join(ctx.dir, 'valid');
    writeFileSync(join(dir, 'weights.bin'), readFileSync(join(valid, 'weights.bin')));
    const json = JSON.parse(readFileSync(join(valid, 'model.json'), 'utf8'));
    const text = edit(json, dir);
    writeFileSync(join(dir, 'model.json'), typeof text === 'string' ? text : JSON.stringify(json));
  }
  return dir;
}

/** A stand-in for a tfjs-converter GraphModel (execute/executeAsync, no layers). */
function fakeGraphModel(): GraphModelLike {
  const run = (x: tf.Tensor | tf.Tensor[] | tf.NamedTensorMap) => tf.mean(x as tf.Tensor, [1, 2]);
  return {
    execute: run,
    executeAsync: async (x) => run(x),
    inputs: [{ name: 'input', shape: [-1, 8, 8, 3] }],
    outputs: [{ name: 'features' }],
  };
}

/** Runs `fn` on a tiny base and frees the base after, so the case's own tensors never count as leaks. */
async function withBase(fn: (base: tfl.LayersModel) => unknown): Promise<unknown> {
  const base = smallImageBase();
  try {
    return await fn(base);
  } finally {
    base.dispose();
  }
}

/** Same for a fresh tiny classifier the case may build and break. */
async function withModel(fn: (m: ReturnType<typeof tinyClassifier>) => unknown): Promise<unknown> {
  const m = tinyClassifier();
  try {
    return await fn(m);
  } finally {
    await m.dispose();
  }
}

const PRE = { size: [8, 8] as [number, number] };
const fit1 = { epochs: 1, batchSize: 8 };
const col = (n: number, v: number) => Array.from({ length: n }, () => v);

/** One row per bad input: the call, and the code it must throw. */
export const CASES: BadInput[] = [
  // data
  {
    area: 'data',
    name: 'ragged rows',
    code: 'SHAPE_MISMATCH',
    run: (c) =>
      c.model.fit(
        [
          [1, 2, 3, 4],
          [1, 2],
        ],
        [0, 1],
        fit1,
      ),
  },
  {
    area: 'data',
    name: 'NaN in x',
    code: 'NON_FINITE_VALUE',
    run: (c) => c.model.fit([[1, 2, Number.NaN, 4]], [0], fit1),
  },
  {
    area: 'data',
    name: 'Infinity in x',
    code: 'NON_FINITE_VALUE',
    run: (c) => c.model.fit([[1, 2, 3, Number.POSITIVE_INFINITY]], [0], fit1),
  },
  {
    area: 'data',
    name: 'NaN in a tensor x (checked at fit)',
    code: 'NON_FINITE_VALUE',
    run: async (c) => {
      const t = tf.tensor2d([[1, 2, 3, Number.NaN]]);
      try {
        await c.model.fit(t, [0], fit1);
      } finally {
        t.dispose();
      }
    },
  },
  { area: 'data', name: 'empty x', code: 'EMPTY_DATA', run: (c) => c.model.fit([], [], fit1) },
  {
    area: 'data',
    name: 'x is a plain object',
    code: 'INVALID_DATA',
    run: (c) => c.model.fit({ a: 1 } as never, [0], fit1),
  },
  {
    area: 'data',
    name: 'x of booleans',
    code: 'INVALID_DATA',
    run: (c) => c.model.fit([[true, false, true, false]] as never, [0], fit1),
  },
  {
    area: 'data',
    name: 'strings mixed with numbers in x',
    code: 'INVALID_DATA',
    run: (c) => c.model.fit([[1, '2', 3, 4]] as never, [0], fit1),
  },
  {
    area: 'data',
    name: 'a string tensor as x',
    code: 'INVALID_DATA',
    run: async (c) => {
      const t = tf.tensor(['a', 'b']);
      try {
        await c.model.fit(t as never, [0, 1], fit1);
      } finally {
        t.dispose();
      }
    },
  },
  {
    area: 'data',
    name: 'a disposed tensor as x',
    code: 'INVALID_DATA',
    run: (c) => {
      const t = tf.zeros([2, 4]);
      t.dispose();
      return c.model.predict(t);
    },
  },
  {
    area: 'data',
    name: 'a disposed Dataset',
    code: 'INVALID_DATA',
    run: (c) => {
      const d = Dataset.from(c.x.slice(0, 3), c.y.slice(0, 3));
      d.dispose();
      return c.model.fit(d, fit1);
    },
  },
  // labels
  {
    area: 'labels',
    name: 'negative class label',
    code: 'LABEL_OUT_OF_RANGE',
    run: (c) => c.model.fit(c.x.slice(0, 3), [0, -1, 2], fit1),
  },
  {
    area: 'labels',
    name: 'non-integer label for softmax',
    code: 'INCOMPATIBLE_LOSS',
    run: (c) => c.model.fit(c.x.slice(0, 3), [0, 1.5, 2], fit1),
  },
  {
    area: 'labels',
    name: 'label beyond the output units',
    code: 'LABEL_OUT_OF_RANGE',
    run: (c) => c.model.fit(c.x.slice(0, 3), [0, 1, 7], fit1),
  },
  {
    area: 'labels',
    name: 'one-hot rows of the wrong width',
    code: 'INCOMPATIBLE_LOSS',
    run: (c) =>
      c.model.fit(
        c.x.slice(0, 2),
        [
          [1, 0],
          [0, 1],
        ],
        fit1,
      ),
  },
  {
    area: 'labels',
    name: 'fewer labels than samples',
    code: 'LENGTH_MISMATCH',
    run: (c) => c.model.fit(c.x.slice(0, 3), [0, 1], fit1),
  },
  {
    area: 'labels',
    name: 'unknown class name',
    code: 'INVALID_LABEL',
    run: (c) => Dataset.from(c.x.slice(0, 3), ['a', 'b', 'zebra'], { classNames: ['a', 'b', 'c'] }),
  },
  {
    area: 'labels',
    name: 'NaN label',
    code: 'NON_FINITE_VALUE',
    run: (c) => c.model.fit(c.x.slice(0, 2), [0, Number.NaN], fit1),
  },
  {
    area: 'labels',
    name: 'fit(x) without labels',
    code: 'INVALID_LABEL',
    run: (c) => c.model.fit(c.x, undefined as never, fit1),
  },
  {
    area: 'labels',
    name: 'duplicate classNames',
    code: 'INVALID_OPTION',
    run: (c) => Dataset.from(c.x.slice(0, 2), [0, 1], { classNames: ['a', 'a'] }),
  },
  // shapes
  {
    area: 'shapes',
    name: 'fit: 5 features for a 4-feature model',
    code: 'SHAPE_MISMATCH',
    run: (c) => c.model.fit([[1, 2, 3, 4, 5]], [0], fit1),
  },
  { area: 'shapes', name: 'predict: 3 features', code: 'SHAPE_MISMATCH', run: (c) => c.model.predict([[1, 2, 3]]) },
  {
    area: 'shapes',
    name: 'predict: a rank-3 batch',
    code: 'SHAPE_MISMATCH',
    run: (c) => c.model.predict([[[1, 2, 3, 4]]]),
  },
  {
    area: 'shapes',
    name: 'predict: a batch passed as { batch: false }',
    code: 'SHAPE_MISMATCH',
    run: (c) => c.model.predict(c.x, { batch: false }),
  },
  {
    area: 'shapes',
    name: 'predict: one sample passed as { batch: true }',
    code: 'SHAPE_MISMATCH',
    run: (c) => c.model.predict([1, 2, 3, 4], { batch: true }),
  },
  { area: 'shapes', name: 'evaluate: 2 features', code: 'SHAPE_MISMATCH', run: (c) => c.model.evaluate([[1, 2]], [0]) },
  {
    area: 'shapes',
    name: 'validationData of the wrong shape',
    code: 'SHAPE_MISMATCH',
    run: (c) => c.model.fit(c.data, { ...fit1, validationData: [[[1, 2]], [0]] }),
  },
  // options
  { area: 'options', name: 'epochs 0', code: 'INVALID_OPTION', run: (c) => c.model.fit(c.data, { epochs: 0 }) },
  { area: 'options', name: 'epochs -1', code: 'INVALID_OPTION', run: (c) => c.model.fit(c.data, { epochs: -1 }) },
  { area: 'options', name: 'epochs 1.5', code: 'INVALID_OPTION', run: (c) => c.model.fit(c.data, { epochs: 1.5 }) },
  { area: 'options', name: 'batchSize 0', code: 'INVALID_OPTION', run: (c) => c.model.fit(c.data, { batchSize: 0 }) },
  {
    area: 'options',
    name: 'validationSplit 1.2',
    code: 'INVALID_OPTION',
    run: (c) => c.model.fit(c.data, { validationSplit: 1.2 }),
  },
  {
    area: 'options',
    name: 'validationSplit and validationData',
    code: 'INVALID_OPTION',
    run: (c) => c.model.fit(c.data, { validationSplit: 0.2, validationData: c.data }),
  },
  {
    area: 'options',
    name: 'earlyStopping on valLoss without validation',
    code: 'INVALID_OPTION',
    run: (c) => c.model.fit(c.data, { ...fit1, earlyStopping: { monitor: 'valLoss' } }),
  },
  {
    area: 'options',
    name: 'earlyStopping without validation nor an explicit monitor',
    code: 'INVALID_OPTION',
    run: (c) => c.model.fit(c.data, { ...fit1, earlyStopping: { patience: 1 } }),
  },
  {
    area: 'options',
    name: 'earlyStopping on an unknown metric',
    code: 'INVALID_OPTION',
    run: (c) => c.model.fit(c.data, { ...fit1, earlyStopping: { monitor: 'f1' } }),
  },
  {
    area: 'options',
    name: 'earlyStopping patience -1',
    code: 'INVALID_OPTION',
    run: (c) => c.model.fit(c.data, { ...fit1, earlyStopping: { patience: -1 } }),
  },
  {
    area: 'options',
    name: 'unknown optimizer',
    code: 'UNKNOWN_OPTIMIZER',
    run: (c) => c.model.compile({ optimizer: 'adamw9' as never }),
  },
  {
    area: 'options',
    name: 'unknown loss',
    code: 'UNKNOWN_LOSS',
    run: (c) => c.model.compile({ loss: 'hinge9' as never }),
  },
  {
    area: 'options',
    name: 'unknown metric',
    code: 'INVALID_OPTION',
    // f1 is a metric now; f2 is not
    run: (c) => c.model.compile({ metrics: ['f2'] as never }),
  },
  {
    area: 'options',
    name: 'unknown activation',
    code: 'UNKNOWN_ACTIVATION',
    run: () => sequential({ inputShape: [4] }).dense(3, { activation: 'swishy' as never }),
  },
  {
    area: 'options',
    name: 'learningRate -1',
    code: 'INVALID_OPTION',
    run: (c) => c.model.fit(c.data, { learningRate: -1 }),
  },
  {
    area: 'options',
    name: "nonFinite 'x'",
    code: 'INVALID_OPTION',
    run: (c) => c.model.fit(c.data, { nonFinite: 'x' as never }),
  },
  { area: 'options', name: 'seed 1.5', code: 'INVALID_OPTION', run: (c) => c.model.fit(c.data, { seed: 1.5 }) },
  {
    area: 'options',
    name: 'signal that is not an AbortSignal',
    code: 'INVALID_OPTION',
    run: (c) => c.model.fit(c.data, { signal: {} as never }),
  },
  {
    area: 'options',
    name: 'evaluate batchSize 0',
    code: 'INVALID_OPTION',
    run: (c) => c.model.evaluate(c.data, { batchSize: 0 }),
  },
  {
    area: 'options',
    name: 'predict batchSize -1',
    code: 'INVALID_OPTION',
    run: (c) => c.model.predict(c.x, { batchSize: -1 }),
  },
  {
    area: 'options',
    name: 'predict batch "yes"',
    code: 'INVALID_OPTION',
    run: (c) => c.model.predict(c.x, { batch: 'yes' as never }),
  },
  { area: 'options', name: 'split 1.5', code: 'INVALID_OPTION', run: (c) => c.data.split(1.5) },
  {
    area: 'options',
    name: 'categorical loss with class indices',
    code: 'INCOMPATIBLE_LOSS',
    run: (c) => withModel((m) => m.compile({ loss: 'categoricalCrossentropy' }).fit(c.data, fit1)),
  },
  {
    area: 'options',
    name: 'binary loss with labels 0..2',
    code: 'INVALID_LABEL',
    run: (c) => withModel((m) => m.compile({ loss: 'binaryCrossentropy' }).fit(c.data, fit1)),
  },
  // builder
  { area: 'builder', name: 'dense(0)', code: 'INVALID_LAYER', run: () => sequential({ inputShape: [4] }).dense(0) },
  { area: 'builder', name: 'dropout(1)', code: 'INVALID_LAYER', run: () => sequential({ inputShape: [4] }).dropout(1) },
  {
    area: 'builder',
    name: 'conv2d dilationRate 2 (tfjs cannot train it)',
    code: 'INVALID_LAYER',
    run: () => sequential({ inputShape: [8, 8, 1] }).conv2d(4, 3, { dilationRate: 2 } as never),
  },
  {
    area: 'builder',
    name: 'depthwiseConv2d dilationRate [2, 2] (tfjs-layers would ignore it)',
    code: 'INVALID_LAYER',
    run: () => sequential({ inputShape: [8, 8, 2] }).depthwiseConv2d(3, { dilationRate: [2, 2] } as never),
  },
  {
    area: 'builder',
    name: 'batchNorm center false (tfjs cannot train it)',
    code: 'INVALID_LAYER',
    run: () => sequential({ inputShape: [8, 8, 2] }).batchNorm({ center: false } as never),
  },
  {
    area: 'builder',
    name: 'conv2d kernelSize 0',
    code: 'INVALID_LAYER',
    run: () => sequential({ inputShape: [8, 8, 1] }).conv2d(4, 0),
  },
  {
    area: 'builder',
    name: 'reshape [0]',
    code: 'INVALID_LAYER',
    run: () => sequential({ inputShape: [4] }).reshape([0]),
  },
  {
    area: 'builder',
    name: 'a layer added after build',
    code: 'INVALID_LAYER',
    run: (c) => (c.model as ReturnType<typeof sequential>).dense(2),
  },
  { area: 'builder', name: 'inputShape []', code: 'INVALID_OPTION', run: () => sequential({ inputShape: [] }) },
  {
    area: 'builder',
    name: 'fit on a model with no layers',
    code: 'NOT_BUILT',
    run: (c) => sequential({ inputShape: [4] }).fit(c.data, fit1),
  },
  {
    area: 'builder',
    name: 'predict on a model with no layers',
    code: 'NOT_BUILT',
    run: (c) => sequential({ inputShape: [4] }).predict(c.x),
  },
  {
    area: 'builder',
    name: 'layers that do not fit together (conv2d on vectors)',
    code: 'INVALID_LAYER',
    run: (c) =>
      sequential({ inputShape: [4] })
        .conv2d(2, 3)
        .fit(c.data, fit1),
  },
  // transfer
  {
    area: 'transfer',
    name: 'cut at a missing layer',
    code: 'UNKNOWN_LAYER',
    run: () => withBase((b) => transfer(b).cut('block_99')),
  },
  {
    area: 'transfer',
    name: 'unfreeze beyond the depth',
    code: 'UNFREEZE_OUT_OF_RANGE',
    run: () => withBase((b) => transfer(b).freeze().unfreeze({ last: 99 })),
  },
  {
    area: 'transfer',
    name: 'unfreeze a missing layer',
    code: 'UNKNOWN_LAYER',
    run: () => withBase((b) => transfer(b).freeze().unfreeze(['nope'])),
  },
  { area: 'transfer', name: 'addHead(0)', code: 'INVALID_HEAD', run: () => withBase((b) => transfer(b).addHead(0)) },
  {
    area: 'transfer',
    name: 'unfreeze a GraphModel base',
    code: 'GRAPH_MODEL_NOT_TRAINABLE',
    run: () => transfer(fakeGraphModel()).addHead(2).unfreeze(),
  },
  {
    area: 'transfer',
    name: 'a base that is not a model',
    code: 'INVALID_BASE',
    run: () => transfer({ layers: [] } as never),
  },
  {
    area: 'transfer',
    name: '1-channel images into an RGB transfer model',
    code: 'CHANNEL_MISMATCH',
    // the base stays the caller's (a transfer model never frees it), so withBase frees it after the model
    run: () =>
      withBase(async (base) => {
        const m = transfer(base, { preprocessing: PRE }).freeze().addHead(2);
        const x = tf.zeros([2, 8, 8, 1]);
        try {
          await m.fit(x, [0, 1], fit1);
        } finally {
          x.dispose();
          await m.dispose();
        }
      }),
  },
  // model files
  { area: 'files', name: 'a missing model directory', code: 'LOAD_FAILED', run: (c) => loadModel(join(c.dir, 'nope')) },
  {
    area: 'files',
    name: 'model.json not JSON',
    code: 'INVALID_MODEL_FILE',
    run: (c) => loadModel(modelDir(c, 'notjson', () => 'module.exports = {}')),
  },
  {
    area: 'files',
    name: 'model.json not a model',
    code: 'INVALID_MODEL_FILE',
    run: (c) => loadModel(modelDir(c, 'notmodel', () => '{"hello":"world"}')),
  },
  {
    area: 'files',
    name: 'a topology tfjs cannot build',
    code: 'LOAD_FAILED',
    run: (c) =>
      loadModel(
        modelDir(c, 'badtopo', (j) => {
          j.modelTopology = { class_name: 'Nope' };
        }),
      ),
  },
  {
    area: 'files',
    name: 'truncated weights',
    code: 'WEIGHTS_TRUNCATED',
    run: (c) => loadModel(modelDir(c, 'trunc', (_j, d) => writeFileSync(join(d, 'weights.bin'), new Uint8Array(10)))),
  },
  {
    area: 'files',
    name: 'a weights path escaping the directory',
    code: 'INVALID_MODEL_FILE',
    run: (c) =>
      loadModel(
        modelDir(c, 'escape', (j) => {
          (j.weightsManifest as { paths: string[] }[])[0].paths = ['../valid/weights.bin'];
        }),
      ),
  },
  {
    area: 'files',
    name: 'a missing weights file',
    code: 'WEIGHTS_MISSING',
    run: (c) =>
      loadModel(
        modelDir(c, 'noweights', (j) => {
          (j.weightsManifest as { paths: string[] }[])[0].paths = ['gone.bin'];
        }),
      ),
  },
  {
    area: 'files',
    name: 'weights above maxBytes',
    code: 'FILE_TOO_LARGE',
    run: (c) => loadModel(join(c.dir, 'valid'), { maxBytes: 16 }),
  },
  {
    area: 'files',
    name: 'an ftp:// location',
    code: 'UNSUPPORTED_TARGET',
    run: () => loadModel('ftp://example.com/model.json'),
  },
  {
    area: 'files',
    name: 'zoo weights from a missing folder',
    code: 'WEIGHTS_MISSING',
    run: (c) => mobilenetV1({ alpha: 0.25, from: join(c.dir, 'no-zoo') }),
  },
  {
    area: 'files',
    name: 'zoo files of the published size but other bytes',
    code: 'CHECKSUM_MISMATCH',
    run: (c) => {
      const dir = join(c.dir, `${c.backend}-zoo-forged`);
      mkdirSync(dir, { recursive: true });
      // a well-formed model.json padded to the published size: only the hash can tell it apart
      const json = '{"modelTopology": {"model_config": {}}, "weightsManifest": []}';
      for (const f of backbone('darknet_tiny').files) writeFileSync(join(dir, f.name), json.padEnd(f.bytes, ' '));
      return loadBackbone('darknet_tiny', { from: dir });
    },
  },
  { area: 'files', name: 'an unknown zoo backbone', code: 'UNKNOWN_BACKBONE', run: () => loadBackbone('resnet9000') },
  // ONNX
  {
    area: 'onnx',
    name: 'bytes that are not ONNX',
    code: 'ONNX_INVALID_FILE',
    run: () => onnxBackbone(new TextEncoder().encode('{"format":"layers-model"}')),
  },
  {
    area: 'onnx',
    name: 'a truncated ONNX file',
    code: 'ONNX_INVALID_FILE',
    run: (c) => onnxBackbone(c.onnx.subarray(0, Math.floor(c.onnx.length / 2))),
  },
  {
    area: 'onnx',
    name: 'an inputName the graph lacks',
    code: 'ONNX_INPUT_MISMATCH',
    run: (c) => onnxBackbone(c.onnx, { inputName: 'nope' }),
  },
  {
    area: 'onnx',
    name: 'a featureOutput the graph lacks',
    code: 'ONNX_UNKNOWN_OUTPUT',
    run: (c) => onnxBackbone(c.onnx, { featureOutput: 'nope' }),
  },
  {
    area: 'onnx',
    name: 'exporting a layer ONNX export lacks',
    code: 'ONNX_UNSUPPORTED_LAYER',
    run: async () => {
      const base = tfl.sequential({
        layers: [tfl.layers.repeatVector({ n: 2, inputShape: [4] }), tfl.layers.flatten()],
      });
      const m = transfer(base).addHead(2);
      try {
        await m.export('onnx');
      } finally {
        await m.dispose();
      }
    },
  },
  // images
  {
    area: 'images',
    name: 'garbage bytes',
    code: 'UNSUPPORTED_IMAGE_FORMAT',
    run: () => decodeImage(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9])),
  },
  { area: 'images', name: 'zero bytes', code: 'INVALID_IMAGE', run: () => decodeImage(new Uint8Array(0)) },
  {
    area: 'images',
    name: 'a JPEG header then garbage',
    code: 'INVALID_IMAGE',
    run: () => decodeImage(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5, 6])),
  },
  {
    area: 'images',
    name: 'a PNG header then garbage',
    code: 'INVALID_IMAGE',
    run: () => decodeImage(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 1])),
  },
  {
    area: 'images',
    name: '2-channel pixels',
    code: 'CHANNEL_MISMATCH',
    run: () => fromImages([{ data: new Uint8Array(2 * 2 * 2), width: 2, height: 2 }], [0], { size: [2, 2] }),
  },
  {
    area: 'images',
    name: 'a missing image folder',
    code: 'LOAD_FAILED',
    run: (c) => fromDirectory(join(c.dir, 'no-images')),
  },
  {
    area: 'images',
    name: 'a class folder not among fromDirectory classNames',
    code: 'UNKNOWN_CLASS',
    run: (c) => {
      const dir = join(c.dir, `${c.backend}-classes`);
      mkdirSync(join(dir, 'wasp'), { recursive: true });
      return fromDirectory(dir, { classNames: ['ant', 'bee'] });
    },
  },
  // backends
  { area: 'backends', name: 'an unknown backend name', code: 'UNKNOWN_BACKEND', run: () => backends.use('tpu') },
  {
    area: 'backends',
    name: 'webgpu in Node without enableNodeWebGPU()',
    code: 'BACKEND_UNAVAILABLE',
    // on the webgpu run the backend is enabled on purpose
    skipOn: ['webgpu'],
    run: () => backends.use('webgpu'),
  },
  {
    area: 'backends',
    name: 'a backend whose init throws',
    code: 'BACKEND_INIT_FAILED',
    run: () => {
      // inference-only and lowest priority: use('auto') never picks it for anyone else in this process
      backends.register('broken-test-backend', {
        priority: -100,
        capabilities: { train: false, inference: true, float32: true, hostMemory: 'device' },
        isAvailable: () => true,
        init: async () => {
          throw new Error('driver exploded');
        },
      });
      return backends.use('broken-test-backend');
    },
  },
  {
    area: 'backends',
    name: "registering 'auto'",
    code: 'INVALID_OPTION',
    run: () => backends.register('auto', {} as never),
  },
  {
    area: 'backends',
    name: 'fit on the inference-only onnx backend',
    code: 'BACKEND_CANNOT_TRAIN',
    run: async (c) => {
      await backends.use('onnx');
      try {
        await c.model.fit(c.data, fit1);
      } finally {
        await backends.use(c.backend);
      }
    },
  },
  {
    area: 'backends',
    name: 'predict on an unknown runtime',
    code: 'UNKNOWN_BACKEND',
    run: (c) => c.model.predict(c.x, { backend: 'tpu' }),
  },
  // saving and export
  {
    area: 'saving',
    name: 'an ftp:// save target',
    code: 'UNSUPPORTED_TARGET',
    run: (c) => c.model.save('ftp://example.com/m'),
  },
  {
    area: 'saving',
    name: 'a number as save target',
    code: 'UNSUPPORTED_TARGET',
    run: (c) => c.model.save(42 as never),
  },
  {
    area: 'saving',
    name: 'a directory under a regular file',
    code: 'SAVE_FAILED',
    run: (c) => c.model.save(join(c.dir, 'valid', 'model.json', 'sub')),
  },
  {
    area: 'export',
    name: 'an unknown export format',
    code: 'UNKNOWN_EXPORT_FORMAT',
    run: (c) => c.model.export('tflite'),
  },
  // training
  {
    area: 'training',
    name: 'a loss that overflows to Infinity (weights rolled back)',
    code: 'NON_FINITE_LOSS',
    // a model of its own: the error drops the optimizer's moments on purpose (they would overflow the next fit
    // too), which would count as a change on the shared model; the rollback is checked here instead
    run: (c) =>
      withModel(async (m) => {
        await m.fit(c.data, fit1);
        const weights = () => Promise.all(m.net.weights.map(async (w) => Array.from(await w.read().data())));
        const before = JSON.stringify(await weights());
        const bad = col(4, 0).map(() => [3e38, 3e38, -3e38, 3e38]);
        const error = await m.fit(bad, [0, 1, 2, 0], fit1).catch((e: unknown) => e);
        if (JSON.stringify(await weights()) !== before) throw new Error('weights not rolled back');
        throw error;
      }),
  },
  // checkpoints: every bad location is refused before the first epoch, and a checkpoint that does not fit the model
  // is refused before any weight is written
  {
    area: 'checkpoints',
    name: 'checkpoint.to an empty string',
    code: 'INVALID_OPTION',
    run: (c) => c.model.fit(c.x, c.y, { ...fit1, checkpoint: { to: '' } }),
  },
  {
    area: 'checkpoints',
    name: 'checkpoint.to indexeddb:// without a name',
    code: 'INVALID_OPTION',
    run: (c) => c.model.fit(c.x, c.y, { ...fit1, checkpoint: { to: 'indexeddb://' } }),
  },
  {
    area: 'checkpoints',
    name: 'checkpoint.to indexeddb:// in Node (no IndexedDB)',
    code: 'UNSUPPORTED_TARGET',
    run: (c) => c.model.fit(c.x, c.y, { ...fit1, checkpoint: { to: 'indexeddb://run' } }),
  },
  {
    area: 'checkpoints',
    name: 'resume from a file that does not exist',
    code: 'LOAD_FAILED',
    run: (c) => c.model.fit(c.x, c.y, { ...fit1, resume: join(c.dir, 'no-such.ckpt') }),
  },
  {
    area: 'checkpoints',
    name: 'resume from a file that is not a checkpoint',
    code: 'INVALID_MODEL_FILE',
    run: (c) => c.model.fit(c.x, c.y, { ...fit1, resume: join(c.dir, 'valid', 'model.json') }),
  },
  {
    area: 'checkpoints',
    name: 'resume from a checkpoint of another architecture',
    code: 'SHAPE_MISMATCH',
    run: async (c) => {
      const path = join(c.dir, `${c.backend}-other.ckpt`);
      if (!existsSync(path)) {
        const other = sequential({ inputShape: [4], seed: 2 }).dense(3, { activation: 'softmax' });
        await other.fit(c.x, c.y, { ...fit1, checkpoint: { to: path } });
        await other.dispose();
      }
      return c.model.fit(c.x, c.y, { ...fit1, resume: path });
    },
  },
  {
    area: 'explain',
    name: 'Grad-CAM of an MLP (no conv layer)',
    code: 'NO_CONV_LAYER',
    run: (c) => explain(c.model, [1, 2, 3, 4]),
  },
];

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Dataset,
  fromDirectory,
  fromImages,
  type GraftErrorCode,
  imagesToTensor,
  loadModel,
  type Model,
  readImageFile,
  toImageTensor,
} from '@graftjs/core';
import { decodeImage } from '@graftjs/core/decode';
import * as tf from '@tensorflow/tfjs-core';
import { BOMB_SIDE } from './bounds-files';

/** A trained model and its data, which every case must leave unchanged, and the fixture folders. */
export interface BoundsContext {
  backend: string;
  model: Model;
  data: Dataset;
  x: number[][];
  y: number[];
  /** Image and model fixtures (bounds-files.ts). */
  dir: string;
}

export interface BoundsCase {
  area: string;
  name: string;
  code: GraftErrorCode;
  run(ctx: BoundsContext): unknown;
}

const HUGE: [number, number] = [30000, 30000];
const file = (c: BoundsContext, name: string) => join(c.dir, 'images', name);
const bytes = (c: BoundsContext, name: string) => new Uint8Array(readFileSync(file(c, name)));
const model = (c: BoundsContext, name: string) => join(c.dir, 'models', name);

/** Frees whatever a call that should have failed returned, so a wrong success is not also reported as a leak. */
async function freed(result: Promise<unknown>): Promise<void> {
  const r = (await result) as { dispose?: () => unknown } | tf.Tensor;
  if (r instanceof tf.Tensor) r.dispose();
  else await r?.dispose?.();
}

const pixelBounds: BoundsCase[] = [
  ...(['png', 'jpg'] as const).flatMap((ext): BoundsCase[] => [
    {
      area: 'pixels',
      name: `decodeImage: a ${ext.toUpperCase()} declaring ${BOMB_SIDE}x${BOMB_SIDE}`,
      code: 'IMAGE_TOO_LARGE',
      run: (c) => decodeImage(bytes(c, `bomb.${ext}`)),
    },
    {
      area: 'pixels',
      name: `readImageFile: a ${ext.toUpperCase()} declaring ${BOMB_SIDE}x${BOMB_SIDE}`,
      code: 'IMAGE_TOO_LARGE',
      run: (c) => readImageFile(file(c, `bomb.${ext}`)),
    },
    {
      area: 'pixels',
      name: `toImageTensor: a 64x64 ${ext.toUpperCase()} with maxPixels 1000`,
      code: 'IMAGE_TOO_LARGE',
      run: (c) => freed(toImageTensor(file(c, `small.${ext}`), { maxPixels: 1000 })),
    },
  ]),
  {
    area: 'pixels',
    name: 'fromDirectory: a class folder holding a PNG bomb',
    code: 'IMAGE_TOO_LARGE',
    run: (c) => freed(fromDirectory(file(c, 'bombs'), { size: [8, 8] })),
  },
  {
    area: 'pixels',
    name: 'fromImages: a PNG bomb among small images',
    code: 'IMAGE_TOO_LARGE',
    run: (c) => freed(fromImages([bytes(c, 'small.png'), bytes(c, 'bomb.png')], [0, 1], { size: [8, 8] })),
  },
  ...(
    [
      ['toImageTensor', (c: BoundsContext) => toImageTensor(file(c, 'small.png'), { size: HUGE })],
      ['imagesToTensor', (c: BoundsContext) => imagesToTensor([file(c, 'small.png')], { size: HUGE })],
      ['fromImages', (c: BoundsContext) => fromImages([file(c, 'small.png')], [0], { size: HUGE })],
      ['fromDirectory', (c: BoundsContext) => fromDirectory(file(c, 'inside'), { size: HUGE })],
    ] as const
  ).map(
    ([fn, run]): BoundsCase => ({
      area: 'pixels',
      name: `${fn}: size [30000, 30000]`,
      code: 'IMAGE_TOO_LARGE',
      run: (c) => freed(run(c) as Promise<unknown>),
    }),
  ),
  ...([Number.NaN, 'abc', 0, -5, 1.5] as const).map(
    (v): BoundsCase => ({
      area: 'pixels',
      name: `maxPixels ${String(v)}`,
      code: 'INVALID_OPTION',
      run: (c) => freed(toImageTensor(file(c, 'small.png'), { maxPixels: v as number })),
    }),
  ),
  {
    area: 'pixels',
    name: 'fromDirectory maxPixels "abc"',
    code: 'INVALID_OPTION',
    run: (c) => freed(fromDirectory(file(c, 'inside'), { size: [8, 8], maxPixels: 'abc' as never })),
  },
];

const byteBounds: BoundsCase[] = [
  ...([Number.NaN, 'abc', 0, -1, null] as const).map(
    (v): BoundsCase => ({
      area: 'bytes',
      name: `loadModel maxBytes ${String(v)}`,
      code: 'INVALID_OPTION',
      run: (c) => freed(loadModel(model(c, 'valid'), { maxBytes: v as number })),
    }),
  ),
  {
    area: 'bytes',
    name: 'a 1.5 GB weights file behind a small manifest (refused unread)',
    code: 'FILE_TOO_LARGE',
    run: (c) => freed(loadModel(model(c, 'huge-weights'))),
  },
  {
    area: 'bytes',
    name: 'weights.bin a symlink to a file outside the model folder',
    code: 'INVALID_MODEL_FILE',
    run: (c) => freed(loadModel(model(c, 'link-out'))),
  },
  {
    area: 'bytes',
    name: "a weight dtype 'toString'",
    code: 'INVALID_MODEL_FILE',
    run: (c) => freed(loadModel(model(c, 'dtype-tostring'))),
  },
  {
    area: 'bytes',
    name: "a quantization dtype 'toString'",
    code: 'INVALID_MODEL_FILE',
    run: (c) => freed(loadModel(model(c, 'quant-tostring'))),
  },
  {
    area: 'metadata',
    name: "saved metrics ['f2'] (no such metric)",
    code: 'INVALID_MODEL_FILE',
    run: (c) => freed(loadModel(model(c, 'metrics-unknown'))),
  },
  {
    area: 'metadata',
    name: "saved loss 'huber'",
    code: 'INVALID_MODEL_FILE',
    run: (c) => freed(loadModel(model(c, 'loss-unknown'))),
  },
];

const folderBounds: BoundsCase[] = [
  ['loop1', 'a folder linking to its parent (one cycle)'],
  ['loop2', 'two folders linking to each other (two cycles)'],
  ['escape-dir', 'a class folder that is a symlink outside the root'],
  ['escape-file', 'an image that is a symlink outside the root'],
].map(
  ([folder, name]): BoundsCase => ({
    area: 'folders',
    name: `fromDirectory: ${name}`,
    code: 'INVALID_DATA',
    run: (c) => freed(fromDirectory(file(c, folder), { size: [8, 8] })),
  }),
);

const inputGaps: BoundsCase[] = [
  {
    area: 'values',
    name: 'Dataset.from: 1e39 in nested arrays',
    code: 'NON_FINITE_VALUE',
    run: (c) => freed(Promise.resolve(datasetOf([[1e39, 0, 0, 0]], c))),
  },
  {
    area: 'values',
    name: 'fit: -1e39 in nested arrays',
    code: 'NON_FINITE_VALUE',
    run: (c) => c.model.fit([[0, -1e39, 0, 0], ...c.x.slice(1)], c.y, { epochs: 1 }),
  },
  {
    area: 'values',
    name: 'predict: 1e39 in one sample',
    code: 'NON_FINITE_VALUE',
    run: (c) => c.model.predict([0, 0, 1e39, 0]),
  },
  {
    area: 'values',
    name: 'predict: 1e39 in a Float64Array row',
    code: 'NON_FINITE_VALUE',
    run: (c) => c.model.predict([Float64Array.from([0, 0, 0, 1e39])]),
  },
  {
    area: 'values',
    name: '{ data, shape }: 1e39 in data',
    code: 'NON_FINITE_VALUE',
    run: (c) => c.model.predict({ data: [1e39, 0, 0, 0], shape: [1, 4] }),
  },
  {
    area: 'values',
    name: '{ data, shape: 2 }',
    code: 'SHAPE_MISMATCH',
    run: (c) => c.model.predict({ data: [1, 2], shape: 2 as never }),
  },
  {
    area: 'take',
    name: 'take([]) (an empty Dataset)',
    code: 'EMPTY_DATA',
    run: (c) => freed(Promise.resolve(c.data.take([]))),
  },
  {
    area: 'take',
    name: 'take([24]) on 24 samples',
    code: 'INDEX_OUT_OF_RANGE',
    run: (c) => freed(Promise.resolve(c.data.take([0, 24]))),
  },
  {
    area: 'take',
    name: 'take([-1])',
    code: 'INDEX_OUT_OF_RANGE',
    run: (c) => freed(Promise.resolve(c.data.take([-1]))),
  },
  { area: 'take', name: 'take([1.7])', code: 'INVALID_DATA', run: (c) => freed(Promise.resolve(c.data.take([1.7]))) },
  {
    area: 'take',
    name: 'take([NaN])',
    code: 'INVALID_DATA',
    run: (c) => freed(Promise.resolve(c.data.take([Number.NaN]))),
  },
  {
    area: 'take',
    name: 'take("01")',
    code: 'INVALID_DATA',
    run: (c) => freed(Promise.resolve(c.data.take('01' as never))),
  },
  ...(['fit', 'evaluate', 'predict'] as const).map(
    (fn): BoundsCase => ({
      area: 'take',
      name: `${fn} on take([])`,
      code: 'EMPTY_DATA',
      run: (c) => c.model[fn](c.data.take([]) as never),
    }),
  ),
  {
    area: 'shapes',
    name: 'predict: a Dataset of 3-feature samples',
    code: 'SHAPE_MISMATCH',
    run: async (c) => {
      const d = datasetOf([[1, 2, 3]], c);
      try {
        return await c.model.predict(d);
      } finally {
        d.dispose();
      }
    },
  },
];

function datasetOf(x: number[][], c: BoundsContext): Dataset {
  return (c.data.constructor as typeof Dataset).from(x);
}

export const BOUNDS_CASES: BoundsCase[] = [...pixelBounds, ...byteBounds, ...folderBounds, ...inputGaps];

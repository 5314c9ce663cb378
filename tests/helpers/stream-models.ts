import { type TransferModel, transfer } from '@graftjs/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect } from 'vitest';
import { PRE, tinyConvPool } from './tiny-transfer';

/** A small seeded conv base on 16x16 images, so streamed-source cases run in seconds. */
export function tinyBase(): tfl.LayersModel {
  const input = tfl.input({ shape: [16, 16, 3] });
  return tfl.model({ inputs: input, outputs: tinyConvPool(input) });
}

/** The tiny base frozen under a seeded `classes`-way head. */
export function tinyModel(classes: number): TransferModel {
  return transfer(tinyBase(), { seed: 5, preprocessing: PRE }).freeze().addHead(classes);
}

/** The values of a model's trainable weights. */
export async function trainable(m: TransferModel): Promise<Float32Array[]> {
  return Promise.all(m.net.trainableWeights.map(async (w) => (await w.read().data()) as Float32Array));
}

/** Largest absolute difference between two weight lists of the same shapes. */
export function maxDiff(a: Float32Array[], b: Float32Array[]): number {
  expect(a.map((x) => x.length)).toEqual(b.map((x) => x.length));
  let m = 0;
  a.forEach((x, i) => {
    for (let j = 0; j < x.length; j++) m = Math.max(m, Math.abs(x[j] - b[i][j]));
  });
  return m;
}

import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { preprocess } from '../../src/data/images';
import { expectGraftError, useCpu } from './fixtures';

beforeAll(useCpu);

// Two pixels in a 1x2 image: (0, 127.5, 255) and (51, 102, 204).
const PIXELS = [0, 127.5, 255, 51, 102, 204];
const batch = () => tf.tensor4d(PIXELS, [1, 1, 2, 3]);

async function run(p: Parameters<typeof preprocess>[1]): Promise<number[]> {
  const x = batch();
  const before = tf.memory().numTensors;
  const y = preprocess(x, p);
  // Exactly one new tensor (the result); the input is left alone.
  expect(tf.memory().numTensors).toBe(before + 1);
  expect(x.isDisposed).toBe(false);
  expect(y.dtype).toBe('float32');
  const v = Array.from(await y.data());
  tf.dispose([x, y]);
  return v;
}

function expectClose(got: number[], want: number[]): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(want[i], 5);
}

describe('preprocess', () => {
  it('defaults to range [0, 1]', async () => {
    expectClose(
      await run({ size: [1, 2] }),
      PIXELS.map((v) => v / 255),
    );
  });

  it('maps 0..255 to [-1, 1]', async () => {
    expectClose(await run({ size: [1, 2], range: [-1, 1] }), [-1, 0, 1, -0.6, -0.2, 0.6]);
  });

  it('applies (x - mean) / std per channel after scaling', async () => {
    const mean: [number, number, number] = [0.485, 0.456, 0.406];
    const std: [number, number, number] = [0.229, 0.224, 0.225];
    const want = PIXELS.map((v, i) => (v / 255 - mean[i % 3]) / std[i % 3]);
    expectClose(await run({ size: [1, 2], mean, std }), want);
  });

  it("reverses channels for 'bgr' before mean/std, which are given in BGR order", async () => {
    // Caffe-style: range [0, 255], BGR means subtracted.
    const mean: [number, number, number] = [103.939, 116.779, 123.68];
    const bgr = [255, 127.5, 0, 204, 102, 51];
    const want = bgr.map((v, i) => v - mean[i % 3]);
    expectClose(await run({ size: [1, 2], range: [0, 255], mean, channelOrder: 'bgr' }), want);
  });

  it('resizes bilinearly to size first (1x2 -> 1x1 averages the two pixels)', async () => {
    expectClose(await run({ size: [1, 1], range: [0, 255] }), [25.5, 114.75, 229.5]);
  });

  it('accepts int32 input and gives float32', async () => {
    const x = tf.tensor4d([0, 255, 51], [1, 1, 1, 3], 'int32');
    const y = preprocess(x, { size: [1, 1], range: [-1, 1] });
    expect(y.dtype).toBe('float32');
    expectClose(Array.from(await y.data()), [-1, 1, -0.6]);
    tf.dispose([x, y]);
  });

  it('CHANNEL_MISMATCH for a grey or RGBA batch, with expected and given', async () => {
    for (const c of [1, 4]) {
      const x = tf.zeros([2, 4, 4, c]) as tf.Tensor4D;
      const before = tf.memory().numTensors;
      const err = await expectGraftError(() => preprocess(x, { size: [4, 4] }), 'CHANNEL_MISMATCH');
      expect(err.details).toMatchObject({ expected: 3, given: c });
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
    }
  });

  it('SHAPE_MISMATCH for a single image instead of a batch', async () => {
    const x = tf.zeros([4, 4, 3]);
    await expectGraftError(() => preprocess(x as unknown as tf.Tensor4D, { size: [4, 4] }), 'SHAPE_MISMATCH');
    x.dispose();
  });

  it('INVALID_OPTION for bad size, range, mean, std or channel order', async () => {
    const x = batch();
    const bad = [
      { size: [0, 2] },
      { size: [1, 2], range: [1, 1] },
      { size: [1, 2], range: [0, Number.NaN] },
      { size: [1, 2], mean: [1, 2] },
      { size: [1, 2], std: [1, 0, 1] },
      { size: [1, 2], channelOrder: 'rbg' },
    ];
    const before = tf.memory().numTensors;
    for (const p of bad) {
      const err = await expectGraftError(() => preprocess(x, p as never), 'INVALID_OPTION');
      expect(err.message).toContain('preprocessing.');
    }
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});

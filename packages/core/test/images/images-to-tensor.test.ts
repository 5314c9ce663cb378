import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeImage, type ImageSource, imagesToTensor, toImageTensor } from '../../src/data/images';
import { encodeJpeg, encodePng, expectGraftError, gradientRgb, smoothRgb, useCpu } from './fixtures';

beforeAll(useCpu);

const pngA = encodePng(6, 4, gradientRgb(6, 4, 40));
const pngB = encodePng(3, 3, gradientRgb(3, 3, 80));
const jpg = encodeJpeg(16, 8, smoothRgb(16, 8));

describe('imagesToTensor', () => {
  it('decodes, resizes and stacks mixed sources into float32 [N, H, W, 3]', async () => {
    const before = tf.memory().numTensors;
    const x = await imagesToTensor([pngA, jpg, decodeImage(pngB)], { size: [5, 7] });
    expect(x.shape).toEqual([3, 5, 7, 3]);
    expect(x.dtype).toBe('float32');
    expect(tf.memory().numTensors).toBe(before + 1);
    // Each slice equals the single-image path.
    const one = await toImageTensor(pngB, { size: [5, 7] });
    const slice = tf.slice(x, [2, 0, 0, 0], [1, 5, 7, 3]);
    expect(Array.from(await slice.data())).toEqual(Array.from(await one.data()));
    tf.dispose([x, one, slice]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps exact pixels when every image already has the size (no size option)', async () => {
    const x = await imagesToTensor([pngA, pngA]);
    expect(x.shape).toEqual([2, 4, 6, 3]);
    const v = await x.data();
    const want = Array.from(gradientRgb(6, 4, 40));
    expect(Array.from(v.subarray(0, want.length))).toEqual(want);
    expect(Array.from(v.subarray(want.length))).toEqual(want);
    x.dispose();
  });

  it('holds at most one image in tensors at a time (memory stays bounded)', async () => {
    const n = 40;
    const seen: number[] = [];
    const base = tf.memory().numTensors;
    // Record live tensors each time the next source is fetched: earlier images must be gone by then.
    const sources = new Proxy(
      Array.from({ length: n }, () => pngA as ImageSource),
      {
        get(target, key, receiver) {
          if (typeof key === 'string' && /^\d+$/.test(key)) seen.push(tf.memory().numTensors - base);
          return Reflect.get(target, key, receiver);
        },
      },
    );
    const x = await imagesToTensor(sources, { size: [16, 16] });
    expect(seen.length).toBe(n);
    expect(Math.max(...seen)).toBe(0);
    expect(x.shape).toEqual([n, 16, 16, 3]);
    x.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });

  it('SHAPE_MISMATCH when sizes differ and no size is given, naming the image', async () => {
    const before = tf.memory().numTensors;
    const err = await expectGraftError(() => imagesToTensor([pngA, pngB]), 'SHAPE_MISMATCH');
    expect(err.message).toContain('image 1 of 2');
    expect(err.message).toContain('4x6');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('passes a bad image through with its own code and index, leaking nothing', async () => {
    const before = tf.memory().numTensors;
    const err = await expectGraftError(
      () => imagesToTensor([pngA, jpg, new Uint8Array([0, 1, 2, 3])], { size: [4, 4] }),
      'UNSUPPORTED_IMAGE_FORMAT',
    );
    expect(err.message).toContain('image 2 of 3');
    expect(tf.memory().numTensors).toBe(before);
    const grey = tf.zeros([4, 4, 1]);
    const c = await expectGraftError(() => imagesToTensor([pngA, grey as tf.Tensor3D]), 'CHANNEL_MISMATCH');
    expect(c.details).toMatchObject({ expected: 3, given: 1 });
    grey.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('EMPTY_DATA for no images, INVALID_DATA for a non-array, INVALID_OPTION for a bad size', async () => {
    await expectGraftError(() => imagesToTensor([]), 'EMPTY_DATA');
    await expectGraftError(() => imagesToTensor(pngA as never), 'INVALID_DATA');
    await expectGraftError(() => imagesToTensor([pngA], { size: [-1, 3] as never }), 'INVALID_OPTION');
  });
});

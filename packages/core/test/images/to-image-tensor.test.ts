import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage, toImageTensor } from '../../src/data/images';
import { encodePng, expectGraftError, gradientRgb, useCpu } from './fixtures';

const W = 5;
const H = 4;
const rgb = gradientRgb(W, H, 40);
const png = encodePng(W, H, rgb);
const dir = mkdtempSync(path.join(tmpdir(), 'graft-img-tt-'));

beforeAll(useCpu);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function expectRgb(t: tf.Tensor3D): Promise<void> {
  expect(t.shape).toEqual([H, W, 3]);
  expect(t.dtype).toBe('float32');
  expect(Array.from(await t.data())).toEqual(Array.from(rgb));
  t.dispose();
}

describe('toImageTensor', () => {
  it('reads decoded pixels, bytes, an ArrayBuffer and a file path to the same float32 [H, W, 3]', async () => {
    const before = tf.memory().numTensors;
    await expectRgb(await toImageTensor(decodeImage(png)));
    await expectRgb(await toImageTensor(png));
    await expectRgb(await toImageTensor(png.slice().buffer));
    const file = path.join(dir, 'g.png');
    writeFileSync(file, png);
    await expectRgb(await toImageTensor(file));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reads RGBA pixels (an ImageData-like object) and drops alpha', async () => {
    const rgba = new Uint8ClampedArray(W * H * 4);
    for (let i = 0; i < W * H; i++) rgba.set([rgb[i * 3], rgb[i * 3 + 1], rgb[i * 3 + 2], 17], i * 4);
    await expectRgb(await toImageTensor({ data: rgba, width: W, height: H }));
  });

  it('copies an int32 [H, W, 3] or [1, H, W, 3] tensor to float32 without consuming it', async () => {
    const t3 = tf.tensor3d(Array.from(rgb), [H, W, 3], 'int32');
    const t4 = tf.expandDims(t3, 0) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    await expectRgb(await toImageTensor(t3));
    await expectRgb(await toImageTensor(t4));
    expect(tf.memory().numTensors).toBe(before);
    expect(t3.isDisposed).toBe(false);
    tf.dispose([t3, t4]);
  });

  it('resizes to options.size (bilinear)', async () => {
    // 2x2 -> 1x1 with half-pixel centres samples the middle: the mean of the four pixels.
    const px = { data: new Uint8Array([0, 0, 0, 100, 40, 8, 200, 80, 16, 60, 0, 100]), width: 2, height: 2 };
    const t = await toImageTensor(px, { size: [1, 1] });
    expect(t.shape).toEqual([1, 1, 3]);
    const v = await t.data();
    expect(v[0]).toBeCloseTo(90, 4);
    expect(v[1]).toBeCloseTo(30, 4);
    expect(v[2]).toBeCloseTo(31, 4);
    t.dispose();
    const up = await toImageTensor(png, { size: [8, 10] });
    expect(up.shape).toEqual([8, 10, 3]);
    up.dispose();
  });

  it('CHANNEL_MISMATCH for 1- and 4-channel tensors, with expected and given', async () => {
    for (const c of [1, 4]) {
      const t = tf.zeros([H, W, c]);
      const before = tf.memory().numTensors;
      const err = await expectGraftError(() => toImageTensor(t as tf.Tensor3D), 'CHANNEL_MISMATCH');
      expect(err.details).toMatchObject({ expected: 3, given: c });
      expect(err.message).toContain(`got ${c}`);
      expect(tf.memory().numTensors).toBe(before);
      t.dispose();
    }
  });

  it('CHANNEL_MISMATCH for pixels with 2 bytes per pixel', async () => {
    const err = await expectGraftError(
      () => toImageTensor({ data: new Uint8Array(W * H * 2), width: W, height: H }),
      'CHANNEL_MISMATCH',
    );
    expect(err.details).toMatchObject({ expected: 3, given: 2 });
  });

  it('INVALID_IMAGE for pixels whose length does not fit width x height', async () => {
    await expectGraftError(() => toImageTensor({ data: new Uint8Array(7), width: 2, height: 2 }), 'INVALID_IMAGE');
  });

  it('SHAPE_MISMATCH for a batch of 2 or a rank-2 tensor', async () => {
    const batch = tf.zeros([2, H, W, 3]);
    const flat = tf.zeros([H, W]);
    await expectGraftError(() => toImageTensor(batch as tf.Tensor4D), 'SHAPE_MISMATCH');
    await expectGraftError(() => toImageTensor(flat as unknown as tf.Tensor3D), 'SHAPE_MISMATCH');
    tf.dispose([batch, flat]);
  });

  it('INVALID_DATA for an unknown object or a disposed tensor', async () => {
    await expectGraftError(() => toImageTensor({ foo: 1 } as never), 'INVALID_DATA');
    await expectGraftError(() => toImageTensor(42 as never), 'INVALID_DATA');
    const t = tf.zeros([H, W, 3]);
    t.dispose();
    await expectGraftError(() => toImageTensor(t as tf.Tensor3D), 'INVALID_DATA');
  });

  it('INVALID_OPTION for a bad size', async () => {
    for (const size of [[0, 4], [2.5, 4], [4], 'big']) {
      await expectGraftError(() => toImageTensor(png, { size: size as never }), 'INVALID_OPTION');
    }
  });

  it('LOAD_FAILED for a missing file path', async () => {
    await expectGraftError(() => toImageTensor(path.join(dir, 'missing.png')), 'LOAD_FAILED');
  });

  it('reads a canvas-like browser object through tf.browser.fromPixels when the DOM class exists', async () => {
    // Node has no DOM: install a stand-in HTMLCanvasElement for this test only.
    class FakeCanvas {
      width = W;
      height = H;
      getContext() {
        const data = new Uint8ClampedArray(W * H * 4);
        for (let i = 0; i < W * H; i++) data.set([rgb[i * 3], rgb[i * 3 + 1], rgb[i * 3 + 2], 255], i * 4);
        return { getImageData: () => ({ data, width: W, height: H }) };
      }
    }
    const g = globalThis as Record<string, unknown>;
    expect(g.HTMLCanvasElement).toBeUndefined();
    // Without the class the same object is not recognised (feature detection, not duck typing).
    await expectGraftError(() => toImageTensor(new FakeCanvas() as never), 'INVALID_DATA');
    g.HTMLCanvasElement = FakeCanvas;
    try {
      const before = tf.memory().numTensors;
      await expectRgb(await toImageTensor(new FakeCanvas() as unknown as HTMLCanvasElement));
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      delete g.HTMLCanvasElement;
    }
  });
});

/**
 * The builder's augmentation layers (issue 15, item 1) against references worked out by hand or by brute force on
 * tiny images: flips exact, a pinned 90-degree rotation against transpose + reverse, a one-pixel translation, zoom
 * and crop windows, Keras' contrast and brightness arithmetic. Each is the identity at inference.
 */
import { sequential } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { TRAINING_BACKENDS, useBackend } from '../helpers/backends';
import { codeOf, mirror, near, ramp, rows } from './helpers';

const train = (m: { net: { apply(x: tf.Tensor, k: object): unknown } }, x: tf.Tensor) =>
  m.net.apply(x, { training: true }) as tf.Tensor;
const infer = (m: { net: { apply(x: tf.Tensor, k: object): unknown } }, x: tf.Tensor) =>
  m.net.apply(x, { training: false }) as tf.Tensor;

describe.each(TRAINING_BACKENDS)('augmentation layers on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  it('randomFlip flips each image exactly or leaves it, both happening; horizontal never flips rows', () => {
    const x = ramp(32, 3, 4);
    const input = rows(x);
    for (const mode of ['horizontal', 'vertical', 'horizontal_and_vertical'] as const) {
      const out = rows(train(sequential({ inputShape: [3, 4, 1] }).randomFlip(mode, { seed: 3 }), x));
      const seen = new Set<string>();
      out.forEach((img, i) => {
        const h = mirror(input[i], 'h');
        const v = mirror(input[i], 'v');
        const options: Record<string, number[][][]> = { none: input[i], h, v, hv: mirror(h, 'v') };
        const allowed =
          mode === 'horizontal' ? ['none', 'h'] : mode === 'vertical' ? ['none', 'v'] : Object.keys(options);
        const which = allowed.find((k) => JSON.stringify(options[k]) === JSON.stringify(img));
        expect(which, `image ${i} (${mode})`).toBeDefined();
        seen.add(which as string);
      });
      expect(seen.size).toBe(mode === 'horizontal_and_vertical' ? 4 : 2);
    }
  });

  it('randomRotation pinned at a quarter turn is transpose + reverse (counter-clockwise), odd and even sizes', () => {
    for (const s of [4, 5]) {
      const x = ramp(2, s, s, 2);
      const m = sequential({ inputShape: [s, s, 2] }).randomRotation([0.25, 0.25]);
      const ccw = tf.reverse(tf.transpose(x, [0, 2, 1, 3]), 1);
      expect(near(rows(train(m, x)), rows(ccw))).toBe(true);
    }
  });

  it('randomTranslation by exactly one row down and two columns left fills with the constant', () => {
    const x = ramp(1, 4, 4);
    const m = sequential({ inputShape: [4, 4, 1] }).randomTranslation([0.25, 0.25], [-0.5, -0.5], {
      fillMode: 'constant',
      fillValue: -1,
    });
    const img = rows(x)[0];
    const expected = img.map((r, y) => r.map((_, c) => (y >= 1 && c + 2 < 4 ? img[y - 1][c + 2] : [-1])));
    expect(near(rows(train(m, x))[0], expected)).toBe(true);
  });

  it('randomZoom in by 2x samples the centre half, bilinearly (brute force), keeping the aspect by default', () => {
    const x = ramp(1, 5, 5);
    const img = rows(x)[0].map((r) => r.map((p) => p[0]));
    const m = sequential({ inputShape: [5, 5, 1] }).randomZoom([-0.5, -0.5]);
    // output (y, x) reads input ((y - 2) / 2 + 2, (x - 2) / 2 + 2): the centre of a 5x5 stays put
    const at = (yy: number, xx: number) => {
      const y0 = Math.floor(yy);
      const x0 = Math.floor(xx);
      const fy = yy - y0;
      const fx = xx - x0;
      const p = (a: number, b: number) => img[Math.min(a, 4)][Math.min(b, 4)];
      return (
        p(y0, x0) * (1 - fy) * (1 - fx) +
        p(y0, x0 + 1) * (1 - fy) * fx +
        p(y0 + 1, x0) * fy * (1 - fx) +
        p(y0 + 1, x0 + 1) * fy * fx
      );
    };
    const expected = img.map((r, y) => r.map((_, c) => [at((y - 2) / 2 + 2, (c - 2) / 2 + 2)]));
    expect(near(rows(train(m, x))[0], expected)).toBe(true);
    // zero factors: the identity
    expect(near(rows(train(sequential({ inputShape: [5, 5, 1] }).randomZoom(0), x)), rows(x))).toBe(true);
  });

  it('randomBrightness adds factor x the value range per image and clips (Keras arithmetic)', () => {
    const x = tf.tensor4d([0, 100, 240, 255], [1, 2, 2, 1]);
    const up = train(sequential({ inputShape: [2, 2, 1] }).randomBrightness([0.1, 0.1]), x);
    expect(near(up.dataSync(), [25.5, 125.5, 255, 255])).toBe(true);
    const unit = tf.tensor4d([0.1, 0.5, 0.9, 1], [1, 2, 2, 1]);
    const down = train(
      sequential({ inputShape: [2, 2, 1] }).randomBrightness([-0.2, -0.2], { valueRange: [0, 1] }),
      unit,
    );
    expect(near(down.dataSync(), [0, 0.3, 0.7, 0.8], 1e-6)).toBe(true);
  });

  it('randomContrast: one factor in [1 - lower, 1 + upper] per image and channel mean, (x - mean) * f + mean, clipped', () => {
    const x = ramp(6, 3, 3, 2);
    const out = rows(train(sequential({ inputShape: [3, 3, 2] }).randomContrast([0.3, 0.6], { seed: 1 }), x));
    const factors = new Set<number>();
    rows(x).forEach((img, i) => {
      let f: number | null = null;
      for (let c = 0; c < 2; c++) {
        const px = img.flat().map((p) => p[c]);
        const mean = px.reduce((a, b) => a + b, 0) / px.length;
        const got = out[i].flat().map((p) => p[c]);
        const k = px.findIndex((v, j) => Math.abs(v - mean) > 20 && got[j] > 0 && got[j] < 255);
        f ??= (got[k] - mean) / (px[k] - mean);
        const want = px.map((v) => Math.min(255, Math.max(0, (v - mean) * (f as number) + mean)));
        expect(near(got, want, 1e-2)).toBe(true);
      }
      expect(f).toBeGreaterThanOrEqual(0.7 - 1e-6);
      expect(f).toBeLessThanOrEqual(1.6 + 1e-6);
      factors.add(Math.round((f as number) * 1e4));
    });
    expect(factors.size).toBeGreaterThan(1);
  });

  it('randomCrop takes a window of the input while training and the centred aspect window, resized, at inference', () => {
    const x = ramp(2, 6, 8);
    const m = sequential({ inputShape: [6, 8, 1] }).randomCrop(3, 4, { seed: 5 });
    const out = rows(train(m, x));
    expect([out.length, out[0].length, out[0][0].length]).toEqual([2, 3, 4]);
    const img = rows(x);
    const windows = (k: number) =>
      [0, 1, 2, 3].flatMap((t) => [0, 1, 2, 3, 4].map((l) => img[k].slice(t, t + 3).map((r) => r.slice(l, l + 4))));
    for (const [k, o] of out.entries())
      expect(windows(k).some((w) => JSON.stringify(w) === JSON.stringify(o))).toBe(true);
    // 6x8 to 3x4 has the same aspect: the whole image halved, each output the mean of a 2x2 block
    const half = img[0]
      .filter((_, y) => y % 2 === 0)
      .map((r, y) =>
        r
          .filter((_, c) => c % 2 === 0)
          .map((_, c) => [
            (img[0][2 * y][2 * c][0] +
              img[0][2 * y][2 * c + 1][0] +
              img[0][2 * y + 1][2 * c][0] +
              img[0][2 * y + 1][2 * c + 1][0]) /
              4,
          ]),
      );
    expect(near(rows(infer(m, x))[0], half)).toBe(true);
    // 4x6 to 4x4: the centred 4x4 window, no resize
    const wide = ramp(1, 4, 6);
    const centre = rows(wide)[0].map((r) => r.slice(1, 5));
    expect(near(rows(infer(sequential({ inputShape: [4, 6, 1] }).randomCrop(4, 4), wide))[0], centre)).toBe(true);
  });

  it('every layer is the identity at inference (predict path), and frees what it makes', () => {
    const x = ramp(3, 6, 6, 3);
    const m = sequential({ inputShape: [6, 6, 3], seed: 1 })
      .randomFlip()
      .randomRotation(0.2)
      .randomZoom(0.2, 0.1)
      .randomTranslation(0.2, 0.2)
      .randomContrast(0.4)
      .randomBrightness(0.3);
    m.net;
    const before = tf.memory().numTensors;
    const a = infer(m, x);
    expect(near(rows(a), rows(x), 0)).toBe(true);
    a.dispose();
    const b = train(m, x);
    expect(near(rows(b), rows(x), 1)).toBe(false);
    b.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('same layer seed, same augmented batches; another seed, others', () => {
    const x = ramp(4, 5, 5);
    const make = (seed: number) =>
      sequential({ inputShape: [5, 5, 1] })
        .randomFlip('horizontal', { seed })
        .randomRotation(0.1, { seed });
    const a = make(9);
    const b = make(9);
    const first = rows(train(a, x));
    expect(rows(train(b, x))).toEqual(first);
    // the stream moves on: the next batch differs from the first, identically for both
    const second = rows(train(a, x));
    expect(second).not.toEqual(first);
    expect(rows(train(b, x))).toEqual(second);
    expect(rows(train(make(10), x))).not.toEqual(first);
  });

  it('refuses bad arguments at the call that names them, with INVALID_LAYER', () => {
    const s = () => sequential({ inputShape: [8, 8, 3] });
    const bad: [string, () => unknown][] = [
      ['flip mode', () => s().randomFlip('diagonal' as never)],
      ['rotation factor NaN', () => s().randomRotation(Number.NaN)],
      ['rotation lower > upper', () => s().randomRotation([0.2, 0.1])],
      ['rotation fillMode', () => s().randomRotation(0.1, { fillMode: 'mirror' as never })],
      ['zoom below -1', () => s().randomZoom([-1, 0.2])],
      ['translation over 1', () => s().randomTranslation(1.5, 0.1)],
      ['translation width missing', () => s().randomTranslation(0.1, undefined as never)],
      ['crop height', () => s().randomCrop(0, 4)],
      ['crop width fraction', () => s().randomCrop(4, 2.5)],
      ['contrast negative', () => s().randomContrast(-0.1)],
      ['contrast lower over 1', () => s().randomContrast([1.2, 0.1])],
      ['brightness over 1', () => s().randomBrightness(1.5)],
      ['brightness valueRange', () => s().randomBrightness(0.1, { valueRange: [1, 0] })],
      ['seed', () => s().randomFlip('horizontal', { seed: 1.5 })],
    ];
    for (const [what, f] of bad) expect(codeOf(f), what).toBe('INVALID_LAYER');
    // the model stays usable after a refusal
    const m = s();
    codeOf(() => m.randomZoom(-2));
    expect(codeOf(() => m.randomZoom(0.1).flatten().dense(2, { activation: 'softmax' }).net)).toBe('no error');
    // on vectors: refused when the model is built
    expect(
      codeOf(
        () =>
          sequential({ inputShape: [4] })
            .randomFlip()
            .dense(2).net,
      ),
    ).toBe('INVALID_LAYER');
  });
});

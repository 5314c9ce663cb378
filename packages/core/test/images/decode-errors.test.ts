import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeImage, readImageFile } from '../../src/data/images';
import { encodeJpeg, encodePng, expectGraftError, gradientRgb, smoothRgb } from './fixtures';

const dir = mkdtempSync(path.join(tmpdir(), 'graft-img-err-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const png = encodePng(8, 8, gradientRgb(8, 8, 9));
const jpg = encodeJpeg(32, 32, smoothRgb(32, 32));

describe('decodeImage errors', () => {
  it('UNSUPPORTED_IMAGE_FORMAT for garbage, naming the bytes found', async () => {
    const err = await expectGraftError(
      () => decodeImage(new Uint8Array([1, 2, 3, 250, 0, 9])),
      'UNSUPPORTED_IMAGE_FORMAT',
    );
    expect(err.message).toContain('01 02 03 FA 00 09');
    expect(err.message).toMatch(/JPEG.*PNG/);
  });

  it('UNSUPPORTED_IMAGE_FORMAT names GIF and WebP when it sees them', async () => {
    const gif = new TextEncoder().encode('GIF89a\u0001\u0000\u0001\u0000');
    expect((await expectGraftError(() => decodeImage(gif), 'UNSUPPORTED_IMAGE_FORMAT')).message).toContain('GIF');
    const webp = new TextEncoder().encode('RIFF\u0000\u0000\u0000\u0000WEBPVP8 ');
    expect((await expectGraftError(() => decodeImage(webp), 'UNSUPPORTED_IMAGE_FORMAT')).message).toContain('WebP');
  });

  it('INVALID_IMAGE for an empty buffer', async () => {
    await expectGraftError(() => decodeImage(new Uint8Array(0)), 'INVALID_IMAGE');
  });

  it('INVALID_IMAGE for a truncated JPEG and a truncated PNG', async () => {
    for (const cut of [0.5, 0.9]) {
      await expectGraftError(() => decodeImage(jpg.subarray(0, Math.floor(jpg.length * cut))), 'INVALID_IMAGE');
      await expectGraftError(() => decodeImage(png.subarray(0, Math.floor(png.length * cut))), 'INVALID_IMAGE');
    }
    // Only the signature: detected as PNG/JPEG, then fails to decode.
    await expectGraftError(() => decodeImage(png.subarray(0, 8)), 'INVALID_IMAGE');
    await expectGraftError(() => decodeImage(jpg.subarray(0, 3)), 'INVALID_IMAGE');
  });

  it('INVALID_IMAGE for a PNG with a corrupted byte', async () => {
    const badType = png.slice();
    badType[40] ^= 0xff; // last letter of the "IDAT" chunk type: caught by the chunk's CRC
    expect((await expectGraftError(() => decodeImage(badType), 'INVALID_IMAGE')).message).toContain('CRC');
    const badData = png.slice();
    badData[50] ^= 0xff; // inside the compressed pixel data
    await expectGraftError(() => decodeImage(badData), 'INVALID_IMAGE');
  });

  it('INVALID_DATA for something that is not bytes', async () => {
    const err = await expectGraftError(() => decodeImage('cat.jpg' as unknown as Uint8Array), 'INVALID_DATA');
    expect(err.message).toContain('"cat.jpg"');
  });
});

describe('readImageFile', () => {
  it('reads and decodes a file', async () => {
    const file = path.join(dir, 'ok.png');
    writeFileSync(file, png);
    const img = await readImageFile(file);
    expect([img.width, img.height]).toEqual([8, 8]);
    expect(Array.from(img.data)).toEqual(Array.from(gradientRgb(8, 8, 9)));
  });

  it('LOAD_FAILED for a missing file, naming it', async () => {
    const missing = path.join(dir, 'nope.jpg');
    const err = await expectGraftError(() => readImageFile(missing), 'LOAD_FAILED');
    expect(err.message).toContain(missing);
    expect(err.message).toContain('does not exist');
  });

  it('keeps the decode error code and names the file', async () => {
    const file = path.join(dir, 'LICENSE.png');
    writeFileSync(file, 'MIT licence text');
    const err = await expectGraftError(() => readImageFile(file), 'UNSUPPORTED_IMAGE_FORMAT');
    expect(err.message).toContain(file);
    expect(err.message).toContain('4D 49 54'); // "MIT"
  });
});

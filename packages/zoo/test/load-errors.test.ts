import { cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backbone, catalogue, loadBackbone, mobilenetV1 } from '../src/index';
import { HAS_ASSETS, MOBILENET_GRAPH, MOBILENET_LAYERS, warnIfNoAssets } from './helpers/assets';
import { expectGraftError } from './helpers/expect-graft-error';

describe('catalogue lookups', () => {
  it('lists every published weight set with a checksum and size for every file', () => {
    expect(catalogue.map((e) => e.name)).toEqual([
      'mobilenet_v1_0.25_224',
      'mobilenet_v1_0.25_224_graph',
      'darknet_tiny',
      'mobilenet_v2_0.35_224',
    ]);
    for (const entry of catalogue) {
      expect(entry.files[0].name).toBe('model.json');
      expect(entry.location).toMatch(/^https:\/\/.+\/$/);
      for (const f of entry.files) {
        expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
        expect(f.bytes).toBeGreaterThan(0);
      }
    }
    expect(backbone('mobilenet_v1_0.25_224').files).toHaveLength(56);
    expect(backbone('darknet_tiny').files).toHaveLength(32);
  });

  it('unknown name: UNKNOWN_BACKBONE listing the known names', async () => {
    expect(() => backbone('resnet9000')).toThrow(
      /UNKNOWN_BACKBONE.*mobilenet_v1_0\.25_224.*darknet_tiny.*"resnet9000"/,
    );
    await expectGraftError(loadBackbone('mobilenet'), 'UNKNOWN_BACKBONE', /mobilenet_v1_0\.25_224_graph/);
  });

  it('maxBytes below the published size: FILE_TOO_LARGE before anything is read', async () => {
    await expectGraftError(
      loadBackbone('darknet_tiny', { from: '/nonexistent', maxBytes: 1000 }),
      'FILE_TOO_LARGE',
      /at most 1000 bytes/,
    );
  });

  it('bad from: and bad options are INVALID_OPTION', async () => {
    await expectGraftError(loadBackbone('darknet_tiny', { from: 42 as never }), 'INVALID_OPTION', /got 42/);
    await expectGraftError(loadBackbone('darknet_tiny', { from: 'ftp://x/' }), 'INVALID_OPTION', /ftp/);
    await expectGraftError(loadBackbone('darknet_tiny', { maxBytes: -1 }), 'INVALID_OPTION', /maxBytes/);
    await expectGraftError(mobilenetV1({ weights: null, from: '/x' }), 'INVALID_OPTION', /weights null/);
  });
});

warnIfNoAssets('corrupt weight file errors');

describe.skipIf(!HAS_ASSETS)('corrupt copies of the published files are refused', () => {
  let work: string;
  let n = 0;
  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'graft-zoo-bad-'));
  });
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });
  /** A fresh copy of `src` that `corrupt` may damage. */
  const copyOf = (src: string, corrupt: (dir: string) => void) => {
    const dir = path.join(work, `copy${n++}`);
    cpSync(src, dir, { recursive: true });
    corrupt(dir);
    return dir;
  };
  const load = (from: string) => mobilenetV1({ alpha: 0.25, from });

  it('a flipped byte: CHECKSUM_MISMATCH naming the file, the expected and the actual hash; no tensor leaks', async () => {
    const dir = copyOf(MOBILENET_LAYERS, (d) => {
      const f = path.join(d, 'group20-shard1of1');
      const bytes = readFileSync(f);
      bytes[100] ^= 1;
      writeFileSync(f, bytes);
    });
    const expected = backbone('mobilenet_v1_0.25_224').files.find((f) => f.name === 'group20-shard1of1')?.sha256;
    const before = tf.memory().numTensors;
    const err = await expectGraftError(load(dir), 'CHECKSUM_MISMATCH', /group20-shard1of1/, new RegExp(`${expected}`));
    expect(err.details?.actual).toMatch(/^[0-9a-f]{64}$/);
    expect(err.details?.actual).not.toBe(expected);
    expect(err.message).toContain(String(err.details?.actual));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('an edited model.json that is still a model: CHECKSUM_MISMATCH', async () => {
    const dir = copyOf(MOBILENET_LAYERS, (d) => {
      const f = path.join(d, 'model.json');
      const json = JSON.parse(readFileSync(f, 'utf8'));
      json.modelTopology.keras_version = '9.9.9';
      writeFileSync(f, JSON.stringify(json));
    });
    await expectGraftError(load(dir), 'CHECKSUM_MISMATCH', /model\.json/);
  });

  it('a deleted shard: WEIGHTS_MISSING', async () => {
    const dir = copyOf(MOBILENET_LAYERS, (d) => rmSync(path.join(d, 'group55-shard1of1')));
    await expectGraftError(load(dir), 'WEIGHTS_MISSING', /group55-shard1of1/);
  });

  it('a cut-short shard: WEIGHTS_TRUNCATED with both sizes', async () => {
    const dir = copyOf(MOBILENET_LAYERS, (d) => truncateSync(path.join(d, 'group52-shard1of1'), 1000));
    const size = backbone('mobilenet_v1_0.25_224').files.find((f) => f.name === 'group52-shard1of1')?.bytes;
    await expectGraftError(load(dir), 'WEIGHTS_TRUNCATED', /group52-shard1of1/, new RegExp(`${size} bytes; got 1000`));
  });

  it('a shard bigger than published: FILE_TOO_LARGE', async () => {
    const dir = copyOf(MOBILENET_LAYERS, (d) => writeFileSync(path.join(d, 'group2-shard1of1'), new Uint8Array(5000)));
    await expectGraftError(load(dir), 'FILE_TOO_LARGE', /group2-shard1of1/, /at most 128 bytes; got 5000 bytes/);
  });

  it.each([
    ['JavaScript instead of JSON', 'module.exports = { modelTopology: {} }; process.exit(1);', /not JSON/],
    ['JSON that is not a model', '{"hello": "world"}', /without a "modelTopology"/],
    ['a model without weightsManifest', '{"modelTopology": {"model_config": {}}}', /weightsManifest/],
    [
      'a manifest reaching outside the published files',
      '{"modelTopology": {"model_config": {}}, "weightsManifest": [{"paths": ["../../etc/passwd"], "weights": []}]}',
      /"\.\.\/\.\.\/etc\/passwd" that is not a published file/,
    ],
  ])('model.json holding %s: INVALID_MODEL_FILE', async (_what, text, message) => {
    const dir = copyOf(MOBILENET_LAYERS, (d) => writeFileSync(path.join(d, 'model.json'), text));
    await expectGraftError(load(dir), 'INVALID_MODEL_FILE', message);
  });

  it('a layers model.json where a graph model is expected: INVALID_MODEL_FILE', async () => {
    const dir = copyOf(MOBILENET_GRAPH, (d) =>
      cpSync(path.join(MOBILENET_LAYERS, 'model.json'), path.join(d, 'model.json')),
    );
    await expectGraftError(loadBackbone('mobilenet_v1_0.25_224_graph', { from: dir }), 'INVALID_MODEL_FILE', /graph/);
  });

  it('a missing folder: WEIGHTS_MISSING for model.json', async () => {
    await expectGraftError(load(path.join(work, 'nope')), 'WEIGHTS_MISSING', /model\.json/, /ENOENT/);
  });
});

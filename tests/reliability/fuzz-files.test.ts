import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onnxBackbone } from '@graftjs/backend-onnx';
import { isGraftError, loadModel, toImageTensor } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../helpers/backends';
import { FUZZ_MAX_PIXELS, loadMutatedImage } from './fuzz/image-bytes';
import { loadMutated } from './fuzz/model-json';
import { loadMutatedOnnx, type OnnxSeed } from './fuzz/onnx-bytes';
import { runCase } from './fuzz/outcome';
import { type FuzzSeeds, fuzzCheckpoints, fuzzImages, fuzzModelJson, fuzzOnnx, prepareFuzz } from './fuzz/run-fuzz';
import { prepareBackend, RELIABILITY_BACKENDS, releaseBackend } from './training-backends';

// Hostile files (model folders, ONNX, PNG/JPEG headers): every load ends in success or a GraftError, never another error, a hang, a leak or a
// polluted prototype. CI runs a small count; `bench/fuzz.ts` runs 10,000 of each.
const RUNS = Number(process.env.GRAFT_FUZZ_RUNS ?? 200);
const SEED = Number(process.env.GRAFT_FUZZ_SEED ?? 20261128);

describe.each(RELIABILITY_BACKENDS)('fuzzing the file readers on %s', (backend) => {
  let seeds: FuzzSeeds;
  beforeAll(async () => {
    await prepareBackend(backend);
    await useBackend(backend);
    seeds = await prepareFuzz();
  });
  afterAll(() => {
    seeds?.dispose();
    releaseBackend(backend);
  });

  it('the unmutated seeds load (so the fuzz starts from valid files)', async () => {
    expect(await loadMutated(join(seeds.dir, 'as-is'), seeds.files, [])).toBe('ok');
    for (const s of seeds.onnx) expect(await loadMutatedOnnx(s, [])).toBe('ok');
  });

  it('the checker catches what it must: a __proto__ payload merged by hand pollutes and is reported', async () => {
    // proves assertNotPolluted can fail: emulate a careless deep merge, then clean up
    const { assertNotPolluted } = await import('./fuzz/outcome');
    const payload = JSON.parse('{"__proto__": {"polluted": "yes"}}');
    const target = {} as Record<string, unknown>;
    for (const k of Object.keys(payload)) Object.assign((target as Record<string, object>)[k], payload[k]);
    try {
      expect(() => assertNotPolluted()).toThrow(/polluted/);
    } finally {
      delete (Object.prototype as Record<string, unknown>).polluted;
    }
    assertNotPolluted();
  });

  it(`${RUNS} mutated model.json/weights.bin folders through loadModel`, async () => {
    const tally = await fuzzModelJson(seeds, RUNS, SEED);
    console.log(`[reliability] fuzz model.json on ${backend}: ${tally.total} cases (seed ${SEED}): ${tally}; no leaks`);
    expect(tally.total).toBe(RUNS);
    expect(tally.counts.size).toBeGreaterThan(2); // the mutations reach more than one check
  });

  it(`${RUNS} mutated ONNX files through onnxBackbone`, async () => {
    const tally = await fuzzOnnx(seeds, RUNS, SEED);
    console.log(`[reliability] fuzz onnx on ${backend}: ${tally.total} cases (seed ${SEED}): ${tally}`);
    expect(tally.total).toBe(RUNS);
    expect(tally.counts.size).toBeGreaterThan(1);
  });

  it('the unmutated image seeds decode, and the checker refuses an image above the bound', async () => {
    for (const s of seeds.images) expect(await loadMutatedImage(s.bytes), s.name).toBe('ok');
    const t = await toImageTensor(seeds.images[0].bytes, { size: [65, 64] });
    expect(t.shape[0] * t.shape[1]).toBeGreaterThan(FUZZ_MAX_PIXELS);
    t.dispose();
  });

  // every read ends in an image within maxPixels or a GraftError
  it(`${RUNS} PNG/JPEG files with mutated headers through toImageTensor`, async () => {
    const tally = await fuzzImages(seeds, RUNS, SEED);
    console.log(`[reliability] fuzz image headers on ${backend}: ${tally.total} cases (seed ${SEED}): ${tally}`);
    expect(tally.total).toBe(RUNS);
    expect(tally.counts.get('IMAGE_TOO_LARGE') ?? 0).toBeGreaterThan(0); // the mutations reach the bound
    expect(tally.counts.get('INVALID_IMAGE') ?? 0).toBeGreaterThan(0);
  });

  // every resume ends resumed, or refused with the weights untouched (the checksum, then the whole header and
  // every tensor spec checked before a weight is written); half the cases reseal the checksum to reach past it
  it(`${RUNS} mutated checkpoints through fit({ resume })`, async () => {
    const tally = await fuzzCheckpoints(seeds.dir, RUNS, SEED);
    console.log(`[reliability] fuzz checkpoints on ${backend}: ${tally.total} cases (seed ${SEED}): ${tally}`);
    expect(tally.total).toBe(RUNS + 1);
    expect(tally.counts.get('ok') ?? 0).toBeGreaterThan(0); // the unmutated seed resumes
    expect(tally.counts.get('CHECKSUM_MISMATCH') ?? 0).toBeGreaterThan(0);
    expect(tally.counts.size).toBeGreaterThan(3); // resealed cases reach the checks behind the checksum
  });

  // tfjs builds layers one by one; when a later one fails, the weights of the earlier ones must be freed too.
  it('loadModel frees the layers it built before a topology error (LOAD_FAILED, no leak)', async () => {
    const dir = join(seeds.dir, 'bad-second-layer');
    const json = structuredClone(seeds.files.json) as { modelTopology: { config: { layers: unknown[] } } };
    json.modelTopology.config.layers[1] = -1;
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    writeFileSync(join(dir, 'weights.bin'), seeds.files.weights);
    const before = tf.memory().numTensors;
    await expect(loadModel(dir)).rejects.toSatisfy((e) => isGraftError(e, 'LOAD_FAILED'));
    expect(tf.memory().numTensors).toBe(before);
  });

  // Reported bug: a graph that loads but that onnxruntime cannot run (here a 3x3 conv with dilations [4, 1]: the
  // 8x8 input is too small) throws onnxruntime's raw "failed to call OrtRun()" Error instead of a GraftError.
  it('an ONNX graph onnxruntime refuses to run -> ONNX_INVALID_FILE', async () => {
    const conv = seeds.onnx.find((s) => s.name === 'conv') as OnnxSeed;
    const bytes = Uint8Array.from(conv.bytes);
    const dilations = [...new TextEncoder().encode('dilations'), 0x42, 2, 1, 1]; // attribute "dilations", ints [1, 1]
    const at = bytes.findIndex((_, i) => dilations.every((b, j) => bytes[i + j] === b));
    expect(at).toBeGreaterThan(0);
    bytes[at + 11] = 4;
    await expect(onnxBackbone(bytes, { preprocessing: conv.preprocessing })).rejects.toSatisfy((e) =>
      isGraftError(e, 'ONNX_INVALID_FILE'),
    );
  });

  it('hand-made hostile model.json files: deep nesting, huge shapes, a giant layer, proto keys', async () => {
    type Json = { modelTopology: { config: { layers: { config: Record<string, unknown> }[] } } } & Record<string, any>;
    const edit = (f: (j: Json) => void) => {
      const j = structuredClone(seeds.files.json) as Json;
      f(j);
      return JSON.stringify(j);
    };
    const files: [string, string, string[]][] = [
      ['deep', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, ['INVALID_MODEL_FILE']],
      [
        'huge-shape',
        edit((j) => (j.weightsManifest[0].weights[0].shape = [2 ** 31, 2 ** 31])),
        ['INVALID_MODEL_FILE', 'FILE_TOO_LARGE'],
      ],
      ['big-shape', edit((j) => (j.weightsManifest[0].weights[0].shape = [2 ** 20, 2 ** 10])), ['FILE_TOO_LARGE']],
      ['negative', edit((j) => (j.weightsManifest[0].weights[0].shape = [-4, 8])), ['INVALID_MODEL_FILE']],
      ['giant-layer', edit((j) => (j.modelTopology.config.layers[0].config.units = 2 ** 30)), ['LOAD_FAILED']],
      [
        'proto',
        edit((j) => Object.defineProperty(j, '__proto__', { value: { polluted: 1 }, enumerable: true })),
        ['ok'],
      ],
    ];
    for (const [name, text, want] of files) {
      const dir = join(seeds.dir, `hand-${name}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'model.json'), text);
      writeFileSync(join(dir, 'weights.bin'), seeds.files.weights);
      const got = await runCase(
        () => loadModel(dir, { maxBytes: 64 * 2 ** 20 }),
        (m) => m.dispose(),
      );
      expect(want, `${name} gave ${got}`).toContain(got);
    }
  });
});

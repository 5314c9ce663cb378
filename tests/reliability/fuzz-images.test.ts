import { toImageTensor } from '@graftjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../helpers/backends';
import { FUZZ_MAX_PIXELS, loadMutatedImage } from './fuzz/image-bytes';
import { type FuzzSeeds, fuzzImages, prepareFuzz } from './fuzz/run-fuzz';
import { prepareBackend, RELIABILITY_BACKENDS, releaseBackend } from './training-backends';

// Hostile image headers: every PNG/JPEG read ends in an image within maxPixels or a GraftError, never another
// error, a leak or a polluted prototype. CI runs a small count; `bench/fuzz.ts` runs 10,000.
const RUNS = Number(process.env.GRAFT_FUZZ_RUNS ?? 200);
const SEED = Number(process.env.GRAFT_FUZZ_SEED ?? 20261128);

describe.each(RELIABILITY_BACKENDS)('fuzzing the image readers on %s', (backend) => {
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

  it('the unmutated seeds decode, and the checker refuses an image above the bound', async () => {
    for (const s of seeds.images) expect(await loadMutatedImage(s.bytes), s.name).toBe('ok');
    const t = await toImageTensor(seeds.images[0].bytes, { size: [65, 64] });
    expect(t.shape[0] * t.shape[1]).toBeGreaterThan(FUZZ_MAX_PIXELS);
    t.dispose();
  });

  it(`${RUNS} PNG/JPEG files with mutated headers through toImageTensor`, async () => {
    const tally = await fuzzImages(seeds, RUNS, SEED);
    console.log(`[reliability] fuzz image headers on ${backend}: ${tally.total} cases (seed ${SEED}): ${tally}`);
    expect(tally.total).toBe(RUNS);
    expect(tally.counts.get('IMAGE_TOO_LARGE') ?? 0).toBeGreaterThan(0); // the mutations reach the bound
    expect(tally.counts.get('INVALID_IMAGE') ?? 0).toBeGreaterThan(0);
  });
});

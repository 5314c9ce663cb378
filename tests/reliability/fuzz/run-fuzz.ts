import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { checkpointMutations, mutateCheckpoint, resumeMutated } from './checkpoint-bytes';
import { type ImageSeed, imageMutations, imageSeeds, loadMutatedImage, mutateImage } from './image-bytes';
import { loadMutated, type ModelFiles, modelJsonMutations, readModelFiles } from './model-json';
import { loadMutatedOnnx, type OnnxSeed, onnxMutations } from './onnx-bytes';
import { Tally } from './outcome';
import { onnxSeeds, seedModel } from './seeds';

export interface FuzzSeeds {
  files: ModelFiles;
  onnx: OnnxSeed[];
  images: ImageSeed[];
  /** Where mutated model folders are written; removed by `dispose`. */
  dir: string;
  dispose(): void;
}

/** Saves and exports the tiny seed model once (on the active backend). */
export async function prepareFuzz(): Promise<FuzzSeeds> {
  const dir = mkdtempSync(join(tmpdir(), 'graft-fuzz-'));
  const model = await seedModel();
  try {
    await model.save(join(dir, 'valid'));
    return {
      files: readModelFiles(join(dir, 'valid')),
      onnx: await onnxSeeds(model),
      images: imageSeeds(),
      dir,
      dispose: () => rmSync(dir, { recursive: true, force: true }),
    };
  } finally {
    await model.dispose();
  }
}

/** `runs` mutated model folders through loadModel; throws (with fast-check's counterexample) on a bad outcome. */
export async function fuzzModelJson(seeds: FuzzSeeds, runs: number, seed: number): Promise<Tally> {
  const tally = new Tally();
  const dir = join(seeds.dir, 'case');
  await fc.assert(
    fc.asyncProperty(modelJsonMutations, async (mutations) => {
      tally.add(await loadMutated(dir, seeds.files, mutations));
    }),
    { numRuns: runs, seed },
  );
  return tally;
}

/** `runs` mutated ONNX files through onnxBackbone. */
export async function fuzzOnnx(seeds: FuzzSeeds, runs: number, seed: number): Promise<Tally> {
  const tally = new Tally();
  await fc.assert(
    // the seed by index keeps a counterexample short (the bytes are rebuilt from it)
    fc.asyncProperty(fc.nat({ max: seeds.onnx.length - 1 }), onnxMutations, async (which, mutations) => {
      tally.add(await loadMutatedOnnx(seeds.onnx[which], mutations));
    }),
    { numRuns: runs, seed },
  );
  return tally;
}

/** `runs` PNG/JPEG files with mutated headers through toImageTensor, under a small maxPixels. */
export async function fuzzImages(seeds: FuzzSeeds, runs: number, seed: number): Promise<Tally> {
  const tally = new Tally();
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: seeds.images.length - 1 }), imageMutations, async (which, mutations) => {
      tally.add(await loadMutatedImage(mutateImage(seeds.images[which].bytes, mutations)));
    }),
    { numRuns: runs, seed },
  );
  return tally;
}

/**
 * `runs` mutated checkpoints through `fit({ resume })` of a tiny model trained two epochs (so a resume has nothing
 * left to train): each ends resumed or in a GraftError with the weights untouched, and no leak.
 */
export async function fuzzCheckpoints(dir: string, runs: number, seed: number): Promise<Tally> {
  const { blobs } = await import('../../helpers/data');
  const { tinyClassifier } = await import('../fixtures');
  const { readFileSync } = await import('node:fs');
  const data = blobs(12);
  const model = tinyClassifier();
  const path = join(dir, 'seed.ckpt');
  const tally = new Tally();
  try {
    await model.fit(data.x, data.y, { epochs: 2, batchSize: 8, checkpoint: { to: path } });
    const valid = new Uint8Array(readFileSync(path));
    tally.add(await resumeMutated(model, join(dir, 'as-is.ckpt'), valid, data));
    await fc.assert(
      fc.asyncProperty(checkpointMutations, async (m) => {
        tally.add(await resumeMutated(model, join(dir, 'case.ckpt'), await mutateCheckpoint(valid, m), data));
      }),
      { numRuns: runs, seed },
    );
  } finally {
    model.dispose();
  }
  return tally;
}

import { mkdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { blackPng, jpegDeclaring, smallJpeg } from './image-files';

/** Declared by the bombs below: 256 MP, 3 GB as a float32 RGB tensor. */
export const BOMB_SIDE = 16000;

function write(path: string, bytes: Uint8Array | string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, bytes);
}

/** Image bombs and folders with symlinks, under `dir`; `outside` is a folder beside it (not under it). */
export function writeImageFixtures(dir: string, outside: string): void {
  const small = blackPng(8, 8);
  const bomb = blackPng(BOMB_SIDE, BOMB_SIDE);
  write(join(dir, 'bomb.png'), bomb);
  write(join(dir, 'bomb.jpg'), jpegDeclaring(smallJpeg(), BOMB_SIDE, BOMB_SIDE));
  write(join(dir, 'small.png'), blackPng(64, 64));
  write(join(dir, 'small.jpg'), smallJpeg(64, 64));
  write(join(dir, 'bombs', 'a', 'x.png'), small);
  write(join(dir, 'bombs', 'a', 'bomb.png'), bomb);
  write(join(dir, 'bombs', 'b', 'y.png'), small);
  // one loop: a folder linking to its parent
  write(join(dir, 'loop1', 'a', 'x.png'), small);
  symlinkSync('..', join(dir, 'loop1', 'a', 'up'));
  // two loops: a -> b -> a
  write(join(dir, 'loop2', 'a', 'x.png'), small);
  write(join(dir, 'loop2', 'b', 'y.png'), small);
  symlinkSync('../b', join(dir, 'loop2', 'a', 'to-b'));
  symlinkSync('../a', join(dir, 'loop2', 'b', 'to-a'));
  // links that leave the root
  write(join(outside, 'images', 'z.png'), small);
  write(join(dir, 'escape-dir', 'a', 'x.png'), small);
  symlinkSync(join(outside, 'images'), join(dir, 'escape-dir', 'b'));
  write(join(dir, 'escape-file', 'a', 'x.png'), small);
  symlinkSync(join(outside, 'images', 'z.png'), join(dir, 'escape-file', 'a', 'z.png'));
  // links that stay inside: a class folder kept in a hidden store
  write(join(dir, 'inside', '.store', 'cats', 'x.png'), small);
  write(join(dir, 'inside', 'dogs', 'y.png'), small);
  symlinkSync(join('.store', 'cats'), join(dir, 'inside', 'cats'));
}

/** Copies of the saved model at `valid` with one thing wrong each, under `dir`. */
export function writeModelFixtures(dir: string, valid: string, outside: string): void {
  const json = JSON.parse(readFileSync(join(valid, 'model.json'), 'utf8'));
  const weights = readFileSync(join(valid, 'weights.bin'));
  const folder = (name: string, edit: (j: typeof json) => void = () => {}) => {
    const j = structuredClone(json);
    edit(j);
    write(join(dir, name, 'model.json'), JSON.stringify(j));
    if (name !== 'link-out') write(join(dir, name, 'weights.bin'), weights);
    return join(dir, name);
  };
  // 1.5 GB of weights behind the small manifest; sparse, so it costs no disk
  truncateSync(join(folder('huge-weights'), 'weights.bin'), 1.5 * 2 ** 30);
  folder('link-out');
  write(join(outside, 'weights.bin'), weights);
  symlinkSync(join(outside, 'weights.bin'), join(dir, 'link-out', 'weights.bin'));
  folder('dtype-tostring', (j) => {
    j.weightsManifest[0].weights[0].dtype = 'toString';
  });
  folder('quant-tostring', (j) => {
    j.weightsManifest[0].weights[0].quantization = { dtype: 'toString', scale: 1, min: 0 };
  });
  folder('metrics-unknown', (j) => {
    j.userDefinedMetadata.graft.metrics = ['f2'];
  });
  folder('loss-unknown', (j) => {
    j.userDefinedMetadata.graft.loss = 'huber';
  });
}

/**
 * `fit(data, { seed })` on a model not built yet seeds its initial head weights too (issue 13, item 2): the same
 * seed, backend and data give bit-identical weights in two separate Node processes; another seed, other weights.
 */
import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

async function fitInChild(backend: string, seed: number, mode: 'gradient' | 'default') {
  const args = ['--conditions=graft-source', '--import', 'tsx', 'tests/transfer/fixtures/seeded-fit.ts'];
  const { stdout } = await run(process.execPath, [...args, backend, String(seed), mode], { cwd: ROOT });
  return JSON.parse(stdout.trim().split('\n').at(-1) as string) as { weights: string; solver: string };
}

describe('a seeded transfer fit is reproducible across processes', () => {
  for (const backend of ['cpu', 'wasm']) {
    it(`trained by gradient on ${backend}: same seed, same weights; another seed, others`, async () => {
      const [a, b] = await Promise.all([fitInChild(backend, 5, 'gradient'), fitInChild(backend, 5, 'gradient')]);
      expect(a.solver).toBe('gradient');
      expect(a.weights).toBe(b.weights);
      const other = await fitInChild(backend, 6, 'gradient');
      expect(other.weights).not.toBe(a.weights);
    }, 120_000);
  }

  it('solved (the no-options fit): same seed, same weights', async () => {
    const [a, b] = await Promise.all([fitInChild('cpu', 5, 'default'), fitInChild('cpu', 5, 'default')]);
    expect(a.solver).toBe('lbfgs');
    expect(a.weights).toBe(b.weights);
  }, 120_000);
});

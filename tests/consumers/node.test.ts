import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeProject } from './pack';
import { type ProgramResult, program, SETUPS } from './programs';

const run = promisify(execFile);

/** Run one program with plain `node` (no loader, no conditions) and parse what it printed. */
async function runProgram(dir: string, file: string): Promise<ProgramResult[]> {
  const { stdout } = await run(process.execPath, [file], { cwd: dir, timeout: 240_000, maxBuffer: 16 << 20 });
  const line = stdout.trim().split('\n').pop() as string;
  return JSON.parse(line) as ProgramResult[];
}

function expectTrained(results: ProgramResult[]): void {
  expect(results.map((r) => r.backend)).toEqual(['cpu', 'wasm']);
  for (const r of results) {
    // 56 points split by x + y = 0: a working fit separates them; an untrained net sits near 0.5.
    expect(r.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(r.accuracy).toBeLessThanOrEqual(1);
    expect(r.label).toBe('above');
    expect(r.batch).toEqual(['below', 'above']);
  }
}

describe.each(SETUPS)('installed from tarballs: %s', (_title, setup) => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeProject(setup.deps, {
      files: {
        'esm.mjs': program('esm', setup),
        'cjs/app.cjs': program('cjs', setup),
      },
    });
  });

  it('trains, predicts and evaluates from Node ESM (import) on cpu and wasm', async () => {
    expectTrained(await runProgram(dir, 'esm.mjs'));
  });

  it('trains, predicts and evaluates from Node CommonJS (require) on cpu and wasm', async () => {
    expectTrained(await runProgram(dir, join('cjs', 'app.cjs')));
  });
});

describe('the umbrella subpaths (installed from the graftjs tarball alone)', () => {
  let dir: string;
  beforeAll(async () => {
    const probe = (kind: 'esm' | 'cjs') => {
      const load = (spec: string) => (kind === 'esm' ? `await import('${spec}')` : `require('${spec}')`);
      const body = `const heads = ${load('graftjs/heads')}; const zoo = ${load('graftjs/zoo')}; const core = ${load('graftjs/core')};
console.log(JSON.stringify({ fewShot: typeof heads.fewShot, binary: typeof heads.binary, onnxEncoder: typeof zoo.onnxEncoder, embed: typeof core.embed }));`;
      return kind === 'esm' ? body : `(async () => { ${body} })();`;
    };
    dir = await makeProject(['graftjs'], { files: { 'subpaths.mjs': probe('esm'), 'cjs/subpaths.cjs': probe('cjs') } });
  });

  it.each([
    ['ESM', 'subpaths.mjs'],
    ['CJS', join('cjs', 'subpaths.cjs')],
  ])('graftjs/heads, graftjs/zoo and graftjs/core give the scoped packages whole (%s)', async (_kind, file) => {
    const { stdout } = await run(process.execPath, [file], { cwd: dir, timeout: 120_000 });
    expect(JSON.parse(stdout.trim().split('\n').pop() as string)).toEqual({
      fewShot: 'function',
      binary: 'function',
      onnxEncoder: 'function',
      embed: 'function',
    });
  });
});

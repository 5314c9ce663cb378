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

// graft starts tfjs-backend-wasm's threaded module in Node itself (packages/backend-wasm/src/node-threads.ts); from
// the built dist files it resolves the installed tfjs package from its own location (import.meta.url in ESM,
// __filename in CJS), which only an installed project checks.
describe('wasm threads in Node, installed from tarballs', () => {
  let dir: string;
  beforeAll(async () => {
    const program = (kind: 'esm' | 'cjs') => {
      const load =
        kind === 'esm'
          ? "import { backends, env, Dataset, sequential } from '@graftjs/core';\nimport '@graftjs/backend-wasm';"
          : "const { backends, env, Dataset, sequential } = require('@graftjs/core');\nrequire('@graftjs/backend-wasm');";
      const main = `
env.backends.wasm.threads = 2;
await backends.use('wasm');
const xs = [], ys = [];
for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) if (i + j !== 7) { xs.push([(i - 3.5) / 1.75, (j - 3.5) / 1.75]); ys.push(i + j > 7 ? 1 : 0); }
const ds = Dataset.from(xs, ys, { classNames: ['below', 'above'] });
const model = sequential({ inputShape: [2], seed: 1 }).dense(8, { activation: 'relu' }).dense(2, { activation: 'softmax' });
await model.fit(ds, { epochs: 60, batchSize: 8, seed: 1 });
const accuracy = (await model.evaluate(ds)).accuracy;
const wasm = (await backends.list()).find((s) => s.name === 'wasm');
console.log(JSON.stringify({ accuracy, reason: wasm.reason }));`;
      return kind === 'esm' ? `${load}\n${main}\n` : `${load}\n(async () => {${main}\n})();\n`;
    };
    dir = await makeProject(['@graftjs/core', '@graftjs/backend-wasm'], {
      files: { 'threads.mjs': program('esm'), 'cjs/threads.cjs': program('cjs') },
    });
  });

  it.each([
    ['ESM', 'threads.mjs'],
    ['CJS', join('cjs', 'threads.cjs')],
  ])('runs 2 threads, trains, and the process exits on its own (%s)', async (_kind, file) => {
    // no process.exit in the program: a process held open by pthread workers fails on the timeout
    const { stdout } = await run(process.execPath, [file], { cwd: dir, timeout: 180_000 });
    const out = JSON.parse(stdout.trim().split('\n').pop() as string) as { accuracy: number; reason: string };
    expect(out.reason).toContain('tfjs-backend-wasm-threaded-simd.wasm, 2 threads');
    expect(out.accuracy).toBeGreaterThanOrEqual(0.9);
  });
});

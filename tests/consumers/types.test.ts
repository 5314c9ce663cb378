import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeProject } from './pack';
import { program, SETUPS } from './programs';

const run = promisify(execFile);

// What the program expects from graft's types (issue 11): on a softmax sequential model, predict(one sample)
// -> ClassPrediction with .label, predict(batch) -> ClassPrediction[], evaluate() -> { loss, accuracy } for
// the default compile; all without a cast, under strict TS.
const strict = { strict: true, target: 'es2022', noEmit: true, types: ['node'], lib: ['es2022', 'dom'] };

/** tsc's diagnostics for one tsconfig, as `file(line,col): error TSxxxx: ...` lines (empty when clean). */
async function typecheck(dir: string, project: string): Promise<string[]> {
  const tsc = `${dir}/node_modules/typescript/bin/tsc`;
  const { stdout } = await run(process.execPath, [tsc, '-p', project, '--pretty', 'false'], {
    cwd: dir,
    maxBuffer: 16 << 20,
  }).catch((e: { stdout: string }) => ({ stdout: e.stdout }));
  return stdout.split('\n').filter((l) => /error TS\d+/.test(l));
}

const config = (options: Record<string, unknown>, files: string[]) =>
  JSON.stringify({ compilerOptions: { ...strict, ...options }, files }, null, 2);

describe.each(SETUPS)('TypeScript strict, installed from tarballs: %s', (_title, setup) => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeProject(setup.deps, {
      tools: ['typescript', '@types/node'],
      files: {
        'app.ts': program('ts-esm', setup),
        'tsconfig.bundler.json': config({ module: 'esnext', moduleResolution: 'bundler', skipLibCheck: true }, [
          'app.ts',
        ]),
        'tsconfig.nodenext.json': config({ module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: true }, [
          'app.ts',
        ]),
        // The nearest package.json makes this folder CommonJS: where TS1479 showed when types pointed at ESM.
        'cjs/package.json': JSON.stringify({ type: 'commonjs' }),
        'cjs/app.ts': program('ts-cjs', setup),
        'cjs/tsconfig.json': config({ module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: true }, [
          'app.ts',
        ]),
        'tsconfig.libcheck.json': config({ module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: false }, [
          'app.ts',
          'cjs/app.ts',
        ]),
      },
    });
  });

  it('compiles the program under moduleResolution bundler', async () => {
    expect(await typecheck(dir, 'tsconfig.bundler.json')).toEqual([]);
  });

  it('compiles the program as ESM under nodenext', async () => {
    expect(await typecheck(dir, 'tsconfig.nodenext.json')).toEqual([]);
  });

  it('compiles the program as CommonJS under nodenext (no TS1479)', async () => {
    expect(await typecheck(dir, 'cjs/tsconfig.json')).toEqual([]);
  });

  it("has no errors in graft's own declaration files (skipLibCheck off; tfjs' own are not graft's)", async () => {
    const ours = (await typecheck(dir, 'tsconfig.libcheck.json')).filter((l) =>
      /node_modules\/(graftjs|@graftjs)\//.test(l),
    );
    expect(ours).toEqual([]);
  });
});

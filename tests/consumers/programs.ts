/**
 * The short program every consumer check runs: a sequential classifier fitted on a tiny separable set on
 * cpu and wasm, then one-sample predict, batch predict and evaluate, exactly as an app writes them (no
 * casts). Generated for each module flavour so Node ESM, Node CJS and TypeScript check the same lines.
 */
export type Flavour = 'esm' | 'cjs' | 'ts-esm' | 'ts-cjs';

/** Which packages a consumer project installs, where the API comes from, and what it imports for effect. */
export interface Setup {
  deps: string[];
  from: string;
  /** Adapters imported only to register their backend (`import '@graftjs/backend-wasm'`). */
  also?: string[];
}

/** The two installs every consumer check covers: the umbrella, and core with one adapter. */
export const SETUPS: Array<[string, Setup]> = [
  ['graftjs (the umbrella)', { deps: ['graftjs'], from: 'graftjs' }],
  [
    '@graftjs/core + @graftjs/backend-wasm only',
    { deps: ['@graftjs/core', '@graftjs/backend-wasm'], from: '@graftjs/core', also: ['@graftjs/backend-wasm'] },
  ],
];

export interface ProgramResult {
  backend: string;
  label: string;
  batch: string[];
  accuracy: number;
}

/** Points on an 8x8 grid in [-2, 2]^2, class 1 when x + y > 0 (the diagonal itself left out). */
function data(ts: boolean): string {
  return `
const xs${ts ? ': number[][]' : ''} = [];
const ys${ts ? ': number[]' : ''} = [];
for (let i = 0; i < 8; i++) {
  for (let j = 0; j < 8; j++) {
    if (i + j === 7) continue;
    xs.push([(i - 3.5) / 1.75, (j - 3.5) / 1.75]);
    ys.push(i + j > 7 ? 1 : 0);
  }
}`;
}

// The lines the issue names: `(await model.predict(oneSample)).label`, `ps[0].label` for a batch, and
// `(await model.evaluate(ds)).accuracy`, with no cast anywhere. A nested number array is one sample or a
// batch by the model's input rank, known only at run time, so the batch says so with `{ batch: true }`.
const body = (ts: boolean) => `
  const results${ts ? ': Array<Record<string, unknown>>' : ''} = [];
  for (const name of ['cpu', 'wasm']) {
    const choice = await backends.use(name);
    const ds = Dataset.from(xs, ys, { classNames: ['below', 'above'] });
    const model = sequential({ inputShape: [2], seed: 1 })
      .dense(8, { activation: 'relu' })
      .dense(2, { activation: 'softmax' });
    await model.fit(ds, { epochs: 60, batchSize: 8, seed: 1 });
    const p = await model.predict([1.5, 1.5]);
    const label = p.label;
    const ps = await model.predict([[-1.5, -1.5], [1.5, 1.5]], { batch: true });
    const first = ps[0].label;
    const accuracy${ts ? ': number' : ''} = (await model.evaluate(ds)).accuracy;
    results.push({ backend: choice.name, label, batch: [first, ps[1].label], accuracy });
    ds.dispose();
    await model.dispose();
  }
  console.log(JSON.stringify(results));`;

function imports(flavour: Flavour, setup: Setup): string {
  const names = '{ backends, Dataset, sequential }';
  if (flavour === 'cjs') {
    return [`const ${names} = require('${setup.from}');`, ...(setup.also ?? []).map((m) => `require('${m}');`)].join(
      '\n',
    );
  }
  return [`import ${names} from '${setup.from}';`, ...(setup.also ?? []).map((m) => `import '${m}';`)].join('\n');
}

/** Source of the program for one flavour; ESM flavours use top-level await, CJS ones an async main. */
export function program(flavour: Flavour, setup: Setup): string {
  const ts = flavour.startsWith('ts');
  const head = `${imports(flavour, setup)}\n${data(ts)}\n`;
  const esm = flavour === 'esm' || flavour === 'ts-esm';
  const main = body(ts);
  if (esm) return `${head}${main}\n`;
  return `${head}\nasync function main()${ts ? ': Promise<void>' : ''} {${main}\n}\nmain().catch((e) => {\n  console.error(e);\n  process.exitCode = 1;\n});\n`;
}

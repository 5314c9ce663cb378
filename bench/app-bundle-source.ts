/**
 * The smallest apps, bundled from the sources (bench/app-bundle-size.ts --source): an MLP made with `sequential`,
 * trained and asked for a prediction, importing only `sequential` from `graftjs`, then from `@graftjs/core`. Each
 * is bundled by Vite (Rollup) and by esbuild, minified and split as the bundler splits it: "up front" is the entry
 * chunk and what it imports statically, "all" adds every lazy chunk (the first fit and predict load some of them).
 * tfjs and onnxruntime are left out (external), as for the package sizes in bench/bundle-size.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build as viteBuild } from 'vite';
import { splitSize } from './bundle-graph';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const external = ['@tensorflow/*', 'node:*', 'onnxruntime-web', 'onnxruntime-web/*', 'webgpu'];
const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;

interface Sizes {
  chunks: number;
  min: number;
  gzip: number;
  allChunks: number;
  allMin: number;
  allGzip: number;
}

function app(from: string): string {
  return `import { sequential } from '${from}';
const model = sequential({ inputShape: [2], seed: 1 }).dense(8, { activation: 'relu' }).dense(2, { activation: 'softmax' });
await model.fit([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0], { epochs: 50 });
document.body.textContent = JSON.stringify(await model.predict([1, 0]));
`;
}

const gz = (parts: Uint8Array[]) => gzipSync(Buffer.concat(parts), { level: 9 }).length;
const bytes = (parts: Uint8Array[]) => parts.reduce((n, p) => n + p.length, 0);

async function byEsbuild(entry: string): Promise<Sizes> {
  const s = await splitSize(root, entry, external);
  return { ...s.eager, allChunks: s.total.chunks, allMin: s.total.min, allGzip: s.total.gzip };
}

interface RollupChunk {
  type: 'chunk';
  fileName: string;
  code: string;
  isEntry: boolean;
  imports: string[];
}

async function byVite(entry: string): Promise<Sizes> {
  const out = (await viteBuild({
    configFile: false,
    root: path.dirname(path.join(root, entry)),
    logLevel: 'error',
    resolve: { conditions: ['graft-source', 'browser', 'module', 'import', 'default'] },
    build: {
      write: false,
      modulePreload: false,
      rollupOptions: {
        input: path.join(root, entry),
        external: [/^@tensorflow\//, /^node:/, 'onnxruntime-web', /^onnxruntime-web\//, 'webgpu'],
      },
    },
  })) as { output: (RollupChunk | { type: 'asset' })[] };
  const chunks = out.output.filter((o): o is RollupChunk => o.type === 'chunk');
  const byName = new Map(chunks.map((c) => [c.fileName, c]));
  const eager = new Set<string>();
  const stack = chunks.filter((c) => c.isEntry).map((c) => c.fileName);
  for (let f = stack.pop(); f !== undefined; f = stack.pop()) {
    if (eager.has(f)) continue;
    eager.add(f);
    stack.push(...(byName.get(f)?.imports ?? []).filter((i) => byName.has(i)));
  }
  const code = (names: Iterable<string>) => [...names].map((n) => Buffer.from(byName.get(n)?.code ?? ''));
  const up = code(eager);
  const all = code(byName.keys());
  return {
    chunks: up.length,
    min: bytes(up),
    gzip: gz(up),
    allChunks: all.length,
    allMin: bytes(all),
    allGzip: gz(all),
  };
}

export async function sourceApps(): Promise<void> {
  // inside the repository, so the workspace packages resolve as an app's dependencies do
  const dir = 'node_modules/.cache/graft-app-bundle';
  mkdirSync(path.join(root, dir), { recursive: true });
  console.log('\n### Smallest apps, bundled from the sources (minified, split; tfjs external)\n');
  console.log('| app: `import { sequential } from ...`, fit + predict | bundler | up front: chunks | min | min+gzip |');
  console.log('|---|---|---:|---:|---:|');
  const rows: string[] = [];
  for (const from of ['graftjs', '@graftjs/core']) {
    const entry = `${dir}/mlp-${from.replace(/\W/g, '-')}/main.js`;
    mkdirSync(path.dirname(path.join(root, entry)), { recursive: true });
    writeFileSync(path.join(root, entry), app(from));
    for (const [bundler, size] of [
      ['vite', byVite],
      ['esbuild', byEsbuild],
    ] as const) {
      const s = await size(entry);
      console.log(`| \`${from}\` | ${bundler} | ${s.chunks} | ${kb(s.min)} | ${kb(s.gzip)} |`);
      rows.push(`| \`${from}\` | ${bundler} | ${s.allChunks} | ${kb(s.allMin)} | ${kb(s.allGzip)} |`);
    }
  }
  console.log('\n| same apps, every chunk (lazy ones included) | bundler | chunks | min | min+gzip |');
  console.log('|---|---|---:|---:|---:|');
  for (const r of rows) console.log(r);
  console.log('\nCommand: node --conditions=graft-source --import tsx bench/app-bundle-size.ts --source');
}

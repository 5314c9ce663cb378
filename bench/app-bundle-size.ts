/**
 * What an app ships: two zero-config Vite apps (no vite.config) built from the packed tarballs, as a user
 * installs them: one on the umbrella `graftjs`, one on `@graftjs/core` + `@graftjs/backend-wasm` only. Each
 * trains on wasm when opened; this script only builds them and sums what `vite build` emits: JS (raw and
 * gzip, zlib default level as Vite reports it) and every .wasm file.
 *
 * Run: node --import tsx bench/app-bundle-size.ts   (builds and packs first; GRAFT_PACKED_DIR reuses a pack)
 *
 * `--source`: instead, the smallest apps bundled from the sources with esbuild (tree-shaken, minified, split as an
 * app bundler splits them, tfjs and onnxruntime left out): an MLP built with `sequential`, fit and predict, on
 * `graftjs` and on `@graftjs/core` alone. Reports what the page downloads up front and what the first fit and
 * predict load after it. No build needed:
 *   node --conditions=graft-source --import tsx bench/app-bundle-size.ts --source
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { makeProject } from '../tests/consumers/pack';
import { sourceApps } from './app-bundle-source';

const run = promisify(execFile);
const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MB`;

const html =
  '<!doctype html><html><body><pre id="out">starting</pre><script type="module" src="/main.js"></script></body></html>\n';

/** The page: pick wasm, fit a tiny classifier, print the accuracy (the same lines for both apps). */
function page(imports: string): string {
  return `${imports}
const out = document.getElementById('out');
const choice = await backends.use('wasm');
const xs = [[0, 0], [0, 1], [1, 0], [1, 1]];
const model = sequential({ inputShape: [2], seed: 1 }).dense(8, { activation: 'relu' }).dense(2, { activation: 'softmax' });
await model.fit(Dataset.from(xs, [0, 1, 1, 0]), { epochs: 100 });
out.textContent = JSON.stringify({ backend: choice.name, accuracy: (await model.evaluate(Dataset.from(xs, [0, 1, 1, 0]))).accuracy });
`;
}

const apps: Array<{ name: string; deps: string[]; imports: string }> = [
  {
    name: 'graftjs (umbrella)',
    deps: ['graftjs'],
    imports: "import { backends, Dataset, sequential } from 'graftjs';",
  },
  {
    name: '@graftjs/core + @graftjs/backend-wasm',
    deps: ['@graftjs/core', '@graftjs/backend-wasm'],
    imports: "import { backends, Dataset, sequential } from '@graftjs/core';\nimport '@graftjs/backend-wasm';",
  },
];

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

async function measure(app: (typeof apps)[number]) {
  const dir = await makeProject(app.deps, {
    tools: ['vite'],
    files: { 'index.html': html, 'main.js': page(app.imports) },
  });
  await run(process.execPath, [path.join(dir, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], {
    cwd: dir,
    maxBuffer: 16 << 20,
  });
  const files = walk(path.join(dir, 'dist'));
  const js = files.filter((f) => f.endsWith('.js')).map((f) => readFileSync(f));
  const wasm = files
    .filter((f) => f.endsWith('.wasm'))
    .map((f) => ({ name: path.basename(f), bytes: statSync(f).size }));
  return {
    jsFiles: js.length,
    jsRaw: js.reduce((a, b) => a + b.length, 0),
    jsGzip: js.reduce((a, b) => a + gzipSync(b).length, 0),
    wasm,
  };
}

if (process.argv.includes('--source')) {
  await sourceApps();
  process.exit(0);
}

console.log('\n### Zero-config Vite apps from the packed tarballs\n');
console.log('| app | JS files | JS raw | JS gzip | .wasm emitted |');
console.log('|---|---:|---:|---:|---|');
for (const app of apps) {
  const m = await measure(app);
  const wasm = m.wasm.length ? m.wasm.map((w) => `${w.name} ${mb(w.bytes)}`).join(', ') : 'none';
  console.log(`| ${app.name} | ${m.jsFiles} | ${kb(m.jsRaw)} | ${kb(m.jsGzip)} | ${wasm} |`);
}
console.log('\nCommand: node --import tsx bench/app-bundle-size.ts');

/**
 * Bundle sizes: @graftjs/core's own ESM (tfjs left out) minified + gzipped, the umbrella `graft` likewise, and the
 * web example's production build (vite) by kind of file. Target: core's eager part <= 20 kB min+gzip: split as an
 * app bundler splits it, the entry chunk and the chunks it imports statically, before any lazy `import()`.
 *
 * Run: node --conditions=graft-source --import tsx bench/bundle-size.ts [--no-example] [--why path/to/module.ts ...]
 *   [--without path/to/module.ts ...]   (also: the eager part with those modules, and what only they reach, left out)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { splitSize } from './bundle-graph';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CORE_TARGET_KB = 20;

const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;

/** One package entry bundled alone: its own code, every dependency outside graft left external. */
async function packageSize(
  entry: string,
  external: string[],
  allPackagesExternal = false,
): Promise<{ min: number; gzip: number }> {
  const result = await esbuild({
    ...(allPackagesExternal ? { packages: 'external' as const } : {}),
    entryPoints: [path.join(root, entry)],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['graft-source'],
    external,
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** The example's production build, summed per file kind (raw and gzip). */
async function exampleSize(): Promise<Record<string, { files: number; raw: number; gzip: number }>> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'graft-web-build-'));
  try {
    const app = path.join(root, 'examples/web');
    await viteBuild({ configFile: path.join(app, 'vite.config.ts'), root: app, logLevel: 'error', build: { outDir } });
    const sums: Record<string, { files: number; raw: number; gzip: number }> = {};
    for (const file of walk(outDir)) {
      const name = path.basename(file);
      const kind = name.endsWith('.wasm')
        ? name.startsWith('ort-')
          ? 'onnxruntime .wasm'
          : 'tfjs .wasm'
        : name.startsWith('train.worker')
          ? 'worker .js'
          : name.endsWith('.js')
            ? 'page .js'
            : 'other';
      const bytes = readFileSync(file);
      const s = (sums[kind] ??= { files: 0, raw: 0, gzip: 0 });
      s.files++;
      s.raw += bytes.length;
      s.gzip += gzipSync(bytes).length;
    }
    return sums;
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

const external = ['@tensorflow/*', 'node:*', 'onnxruntime-web', 'onnxruntime-web/*', 'webgpu'];
const split = await splitSize(root, 'packages/core/src/index.ts', external);
const core = await packageSize('packages/core/src/index.ts', external);
const coreOwn = await packageSize('packages/core/src/index.ts', external, true);
const umbrella = await packageSize('packages/graft/src/index.ts', external);
const example = process.argv.includes('--no-example') ? {} : await exampleSize();

console.log('\n### Bundle size\n');
console.log('| bundle | chunks | minified | min+gzip | note |');
console.log('|---|---:|---:|---:|---|');
const met = (gzip: number) => `target <= ${CORE_TARGET_KB} kB: ${gzip <= CORE_TARGET_KB * 1024 ? 'met' : 'MISSED'}`;
console.log(
  `| @graftjs/core eager (split ESM: entry + static imports, tfjs external) | ${split.eager.chunks} | ${kb(split.eager.min)} | ${kb(split.eager.gzip)} | ${met(split.eager.gzip)} |`,
);
console.log(
  `| @graftjs/core total (every chunk, lazy ones included) | ${split.total.chunks} | ${kb(split.total.min)} | ${kb(split.total.gzip)} | |`,
);
console.log('\n| @graftjs/core one file (no splitting) | minified | min+gzip | note |');
console.log('|---|---:|---:|---|');
console.log(`| tfjs external | ${kb(core.min)} | ${kb(core.gzip)} | lazy imports inlined |`);
console.log(`| own code only (jpeg-js, fast-png and tfjs external) | ${kb(coreOwn.min)} | ${kb(coreOwn.gzip)} | |`);
console.log(
  `| graft umbrella (all graft packages, tfjs + onnxruntime external) | ${kb(umbrella.min)} | ${kb(umbrella.gzip)} | |`,
);
const TOP = 25;
console.log(`\n| @graftjs/core eager, top ${TOP} modules | minified |`);
console.log('|---|---:|');
for (const [module, bytes] of split.eagerModules.slice(0, TOP)) console.log(`| ${module} | ${kb(bytes)} |`);
const rest = split.eagerModules.slice(TOP);
console.log(`| ${rest.length} more | ${kb(rest.reduce((n, [, b]) => n + b, 0))} |`);
/** The module paths after `flag` on the command line, up to the next flag. */
function listAfter(flag: string): string[] {
  const i = process.argv.indexOf(flag);
  if (i < 0) return [];
  const rest = process.argv.slice(i + 1);
  const end = rest.findIndex((a) => a.startsWith('--'));
  return end < 0 ? rest : rest.slice(0, end);
}
for (const m of listAfter('--why')) console.log(`\nwhy ${m}: ${split.why(m).join(' -> ') || 'not eager'}`);
const without = listAfter('--without');
if (without.length) {
  const cut = await splitSize(root, 'packages/core/src/index.ts', external, without);
  console.log(
    `\neager without ${without.join(', ')}: ${kb(cut.eager.min)} min, ${kb(cut.eager.gzip)} min+gzip ` +
      `(${kb(split.eager.min - cut.eager.min)} min, ${kb(split.eager.gzip - cut.eager.gzip)} gzip less)`,
  );
}

console.log('\n| web example build (vite, production) | files | raw | gzip |');
console.log('|---|---:|---:|---:|');
for (const [kind, s] of Object.entries(example).sort()) {
  console.log(`| ${kind} | ${s.files} | ${kb(s.raw)} | ${kb(s.gzip)} |`);
}
console.log('\nCommand: node --conditions=graft-source --import tsx bench/bundle-size.ts');

/**
 * `npm run bench`: runs benchmark scripts one after another, each in its own Node process (a fresh tfjs engine and
 * wasm heap, so one script's backend state and garbage cannot slow the next), and passes their output through.
 * Each script prints a markdown table and the command that produced it.
 *
 * Run: npm run bench                      (every script of the default list that exists)
 *      npm run bench -- bench/mlp.ts ...  (only these; a name without a folder is looked up in bench/)
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
/** Written by different people; a script joins the default run once its file exists. */
const DEFAULT_SCRIPTS = [
  'mlp.ts',
  'backends.ts',
  'wasm-kernels.ts',
  'onnx-predict.ts',
  'feature-cache.ts',
  'bundle-size.ts',
  'text-embed.ts',
];

function resolveScript(arg: string): string | null {
  for (const candidate of [path.resolve(arg), path.join(here, arg)]) {
    if (existsSync(candidate) && candidate.endsWith('.ts')) return candidate;
  }
  return null;
}

const args = process.argv.slice(2);
let scripts: string[];
if (args.length > 0) {
  const missing = args.filter((a) => resolveScript(a) === null);
  if (missing.length > 0) {
    console.error(
      `bench: expected paths to existing bench/*.ts scripts, got ${missing.map((m) => JSON.stringify(m)).join(', ')}` +
        ` (known: ${DEFAULT_SCRIPTS.join(', ')})`,
    );
    process.exit(2);
  }
  scripts = args.map((a) => resolveScript(a) as string);
} else {
  scripts = DEFAULT_SCRIPTS.map((s) => path.join(here, s)).filter((s) => existsSync(s));
  const absent = DEFAULT_SCRIPTS.filter((s) => !existsSync(path.join(here, s)));
  if (absent.length) console.log(`(not written yet, skipped: ${absent.join(', ')})`);
}

const failed: string[] = [];
for (const script of scripts) {
  const rel = path.relative(root, script);
  console.log(`\n## ${rel}\n`);
  const t0 = performance.now();
  // Same flags as `npm run bench` itself: workspace packages resolve to their TypeScript sources.
  const r = spawnSync(process.execPath, ['--conditions=graft-source', '--import', 'tsx', rel], {
    cwd: root,
    stdio: 'inherit',
    env: process.env,
  });
  const secs = ((performance.now() - t0) / 1000).toFixed(0);
  if (r.status !== 0) {
    failed.push(rel);
    console.log(`\n${rel} FAILED (exit ${r.status ?? r.signal}) after ${secs} s`);
  } else {
    console.log(`\n(${rel}: ${secs} s)`);
  }
}
if (failed.length) {
  console.error(`\nbench: ${failed.length} of ${scripts.length} script(s) failed: ${failed.join(', ')}`);
  process.exitCode = 1;
}

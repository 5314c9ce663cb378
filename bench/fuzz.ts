/**
 * Hostile-file fuzzing at scale (issue 7, item 5): the same properties as tests/reliability/fuzz-files.test.ts,
 * 10,000 cases each by default. Every mutated model.json/weights.bin folder (core `loadModel`), every mutated
 * ONNX file (`onnxBackbone`) and every PNG/JPEG with mutated headers (`toImageTensor`) must load or throw a
 * GraftError: never another error type, a hang (10 s), or a polluted prototype, or a leaked tensor. A failure prints fast-check's counterexample and exits 1.
 *
 * Run: node --conditions=graft-source --import tsx bench/fuzz.ts
 * Env: FUZZ_RUNS (cases per reader, default 10000), FUZZ_SEED (default 20261128),
 * FUZZ_ONLY (model-json | onnx | image).
 */
import '@graftjs/backend-onnx';
import { backends } from '@graftjs/core';
import { fuzzImages, fuzzModelJson, fuzzOnnx, prepareFuzz } from '../tests/reliability/fuzz/run-fuzz';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261128);
const ONLY = process.env.FUZZ_ONLY;

const command = `FUZZ_RUNS=${RUNS} FUZZ_SEED=${SEED}${ONLY ? ` FUZZ_ONLY=${ONLY}` : ''} node --conditions=graft-source --import tsx bench/fuzz.ts`;

await backends.use('cpu');
const seeds = await prepareFuzz();
const rows: string[] = [];
let failed = false;
try {
  for (const [name, run] of [
    ['model.json (loadModel)', fuzzModelJson],
    ['ONNX (onnxBackbone)', fuzzOnnx],
    ['image headers (toImageTensor, PNG/JPEG)', fuzzImages],
  ] as const) {
    if (ONLY && !name.toLowerCase().startsWith(ONLY.replace('-', '.'))) continue;
    const started = performance.now();
    try {
      const tally = await run(seeds, RUNS, SEED);
      const seconds = (performance.now() - started) / 1000;
      rows.push(`| ${name} | ${tally.total} | ${tally} | ${seconds.toFixed(1)} s |`);
    } catch (e) {
      failed = true;
      const cause = (e as Error & { cause?: Error }).cause?.message ?? '';
      rows.push(`| ${name} | FAILED | ${(e as Error).message.split('\n').slice(0, 4).join(' ')} ${cause} | |`);
    }
  }
} finally {
  seeds.dispose();
}
console.log('| reader | cases | outcomes | time |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(r);
console.log(
  `never another error type, a hang, a leaked tensor or prototype pollution: ${failed ? 'NO (see above)' : 'yes'}`,
);
console.log(`command: ${command}`);
process.exit(failed ? 1 : 0);

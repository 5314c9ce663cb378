/**
 * The ceiling on MLP inference on wasm (issue 17, item 3): the first layer of the seed's MLP, relu(x @ W + b) with
 * x 64x784 and W 784x128, on tfjs-wasm (XNNPACK, 128-bit SIMD, 1 thread) and on PyTorch 1 thread (its BLAS:
 * printed), rounds alternated in one run; best call of each round, GFLOP/s from 2 * 64 * 784 * 128 flops.
 * Run: node --conditions=graft-source --import tsx bench/matmul-ceiling.ts   (BENCH_ROUNDS, default 3)
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import '@graftjs/backend-wasm';
import { backends } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import { torchBlas, torchEnv } from './torch-blas';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const [M, K, N] = [64, 784, 128];
const FLOP = 2 * M * K * N;
const TORCH = `
import time, torch
torch.set_num_threads(1)
x, w, b = torch.rand(${M}, ${K}), torch.rand(${K}, ${N}), torch.rand(${N})
best = 1e9
with torch.no_grad():
    for _ in range(20): torch.relu(torch.addmm(b, x, w))
    for _ in range(200):
        t = time.perf_counter(); torch.relu(torch.addmm(b, x, w)); best = min(best, time.perf_counter() - t)
print(best * 1000)
`;

await backends.use('wasm');
const x = tf.randomUniform([M, K]);
const w = tf.randomUniform([K, N]);
const b = tf.randomUniform([N]);
function wasmBest(): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 220; i++) {
    const t0 = performance.now();
    const y = tf.fused.matMul({ a: x, b: w, bias: b, activation: 'relu' });
    y.dataSync();
    if (i >= 20) best = Math.min(best, performance.now() - t0);
    y.dispose();
  }
  return best;
}
const rows: string[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const wasm = wasmBest();
  const torch = Number(execFileSync('/usr/bin/python3', ['-c', TORCH], { encoding: 'utf8', env: torchEnv() }).trim());
  const gf = (ms: number) => (FLOP / ms / 1e6).toFixed(1);
  rows.push(
    `| ${r + 1} | ${wasm.toFixed(3)} (${gf(wasm)}) | ${torch.toFixed(3)} (${gf(torch)}) | ${(torch / wasm).toFixed(2)} |`,
  );
}
console.log(`relu(x @ W + b), x ${M}x${K}, W ${K}x${N}: best call in ms (GFLOP/s), rounds alternated\n`);
console.log('| round | tfjs-wasm 1 thread | PyTorch 1 thread | wasm speed / PyTorch |\n|---|---:|---:|---:|');
console.log(rows.join('\n'));
console.log(`\n${torchBlas()}`);
console.log(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model}), load average ${os.loadavg()[0].toFixed(1)}`);
console.log('command: node --conditions=graft-source --import tsx bench/matmul-ceiling.ts');
tf.dispose([x, w, b]);
process.exit(0);
